package org.cavi.data;

import java.nio.DoubleBuffer;

/**
 * The data's values, row by row (D values per point): in a heap array, or in a memory-mapped
 * .npy file, which lets a fit use data larger than the heap. The passes over the data read a
 * chunk at a time with {@link #read}, so both kinds cost the same there.
 */
public sealed interface Points permits Points.Heap, Points.Mapped, Points.Remote {
    /** How many values (points × D). */
    long size();

    double get(long i);

    /** Values [from, from + len) into {@code into[at …]}. */
    void read(long from, double[] into, int at, int len);

    /**
     * At most maxRows of the rows (d values each), evenly spaced through the data, in one array:
     * all of them, in order, when there are no more. For pictures, which need no more.
     */
    default double[] rows(int d, int maxRows) {
        long n = size() / d;
        if (n <= maxRows) {
            if (this instanceof Heap h) return h.values();
            double[] all = new double[Math.toIntExact(n * d)];
            read(0, all, 0, all.length);
            return all;
        }
        double[] out = new double[maxRows * d];
        for (int i = 0; i < maxRows; i++) read(n * i / maxRows * d, out, i * d, d);
        return out;
    }

    /**
     * Where values held elsewhere live (the executors of a cluster): it answers for the few rows
     * the driver needs, and closes what holds them. The passes over such values run where they
     * are, through the engine that holds them.
     */
    interface Holder extends AutoCloseable {
        /** As {@link Points#rows}: the same rows, in the same order. */
        double[] rows(int d, int maxRows);

        @Override
        void close();
    }

    /**
     * Values held elsewhere: here only their count. Reading a value here is a bug (the passes,
     * the checks and the assignments go to the holder), so {@link #get} and {@link #read} throw.
     */
    record Remote(long size, Holder holder, String where) implements Points {
        @Override
        public double get(long i) { throw elsewhere(); }

        @Override
        public void read(long from, double[] into, int at, int len) { throw elsewhere(); }

        @Override
        public double[] rows(int d, int maxRows) { return holder.rows(d, maxRows); }

        private IllegalStateException elsewhere() {
            return new IllegalStateException("the values of " + where + " are held by the engine that read them, not here");
        }
    }

    static Points of(double[] values) {
        return new Heap(values);
    }

    /** Values in a heap array. */
    record Heap(double[] values) implements Points {
        @Override
        public long size() { return values.length; }

        @Override
        public double get(long i) { return values[(int) i]; }

        @Override
        public void read(long from, double[] into, int at, int len) {
            System.arraycopy(values, (int) from, into, at, len);
        }
    }

    /**
     * Values in a file mapped into memory, in segments of 2^bits values (2^27, 1 GiB, for files):
     * the page cache holds them, not the heap.
     */
    final class Mapped implements Points {
        static final int SEGMENT_BITS = 27;
        private final DoubleBuffer[] segments;
        private final int bits;
        private final long mask, size;

        /** Every segment but the last holds exactly 2^bits values. */
        Mapped(DoubleBuffer[] segments, int bits, long size) {
            this.segments = segments;
            this.bits = bits;
            this.mask = (1L << bits) - 1;
            this.size = size;
        }

        @Override
        public long size() { return size; }

        @Override
        public double get(long i) {
            return segments[(int) (i >>> bits)].get((int) (i & mask));
        }

        @Override
        public void read(long from, double[] into, int at, int len) {
            while (len > 0) {
                int seg = (int) (from >>> bits), off = (int) (from & mask);
                int part = Math.min(len, segments[seg].limit() - off);
                segments[seg].get(off, into, at, part);
                from += part;
                at += part;
                len -= part;
            }
        }
    }
}
