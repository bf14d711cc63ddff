package org.cavi.check;

import java.util.Arrays;
import java.util.StringJoiner;

/** The value of a constant expression: a number or a vector of numbers. */
public sealed interface Value {
    record Scalar(double value) implements Value {
        @Override public String toString() { return format(value); }
    }

    record Vec(double[] elems) implements Value {
        public Vec { elems = elems.clone(); }
        public double[] elems() { return elems.clone(); }
        public int length() { return elems.length; }
        public double get(int i) { return elems[i]; }
        @Override public boolean equals(Object o) { return o instanceof Vec v && Arrays.equals(elems, v.elems); }
        @Override public int hashCode() { return Arrays.hashCode(elems); }
        @Override public String toString() {
            StringJoiner j = new StringJoiner(", ", "[", "]");
            for (double e : elems) j.add(format(e));
            return j.toString();
        }
    }

    /** A matrix, row by row. */
    record Mat(double[][] rows) implements Value {
        public Mat {
            rows = copy(rows);
        }
        public double[][] rows() { return copy(rows); }
        public int size() { return rows.length; }
        static double[][] copy(double[][] m) {
            double[][] out = new double[m.length][];
            for (int i = 0; i < m.length; i++) out[i] = m[i].clone();
            return out;
        }
        @Override public boolean equals(Object o) { return o instanceof Mat m && Arrays.deepEquals(rows, m.rows); }
        @Override public int hashCode() { return Arrays.deepHashCode(rows); }
        @Override public String toString() {
            StringJoiner j = new StringJoiner(", ", "[", "]");
            for (double[] r : rows) j.add(new Vec(r).toString());
            return j.toString();
        }
    }

    /** Integers without a decimal point, everything else in Java's shortest round-trip form. */
    static String format(double v) {
        return org.cavi.family.Special.format(v);
    }
}
