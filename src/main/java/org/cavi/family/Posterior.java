package org.cavi.family;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The variational posterior as reported: one block per latent (or per joint factor), each
 * with its family and named parameters, components in the order of the key latent's mean.
 * A parameter is a double[] (one number per component), a double[][] (a vector per component)
 * or a double[][][] (a matrix per component).
 */
public record Posterior(List<Block> blocks) {
    public Posterior { blocks = List.copyOf(blocks); }

    public record Block(String latent, String family, Map<String, Object> fields) {
        public Block {
            Map<String, Object> copy = new LinkedHashMap<>();
            fields.forEach((k, v) -> copy.put(k, deepCopy(v)));
            fields = java.util.Collections.unmodifiableMap(copy);
        }

        /** A per-component number. */
        public double[] field(String name) { return ((double[]) fields.get(name)).clone(); }

        /** A per-component vector. */
        public double[][] vectors(String name) { return (double[][]) deepCopy(fields.get(name)); }

        /** A per-component matrix. */
        public double[][][] matrices(String name) { return (double[][][]) deepCopy(fields.get(name)); }
    }

    /**
     * Fields that summarise q rather than parametrise it (its intervals, the variance or
     * covariance a precision implies): a function of the others, for the reader.
     */
    public static final java.util.Set<String> SUMMARIES = java.util.Set.of("lower", "upper", "variance", "covariance");

    public Block block(String latent) {
        return blocks.stream().filter(b -> b.latent().equals(latent)).findFirst().orElseThrow();
    }

    static Object deepCopy(Object v) {
        if (v instanceof double[] a) return a.clone();
        if (v instanceof double[][] a) {
            double[][] out = new double[a.length][];
            for (int i = 0; i < a.length; i++) out[i] = a[i].clone();
            return out;
        }
        double[][][] a = (double[][][]) v;
        double[][][] out = new double[a.length][][];
        for (int i = 0; i < a.length; i++) out[i] = (double[][]) deepCopy(a[i]);
        return out;
    }

    /** The same posterior with every per-component parameter permuted by {@code order}. */
    public Posterior permuted(int[] order, int k) {
        return new Posterior(blocks.stream().map(b -> {
            Map<String, Object> f = new LinkedHashMap<>();
            b.fields().forEach((name, v) -> f.put(name, length(v) == k ? permuteAny(v, order) : v));
            return new Block(b.latent(), b.family(), f);
        }).toList());
    }

    private static int length(Object v) {
        if (v instanceof double[] a) return a.length;
        if (v instanceof double[][] a) return a.length;
        return ((double[][][]) v).length;
    }

    private static Object permuteAny(Object v, int[] order) {
        if (v instanceof double[] a) return permute(a, order);
        Object[] a = (Object[]) v;
        Object[] out = a instanceof double[][] ? new double[a.length][] : new double[a.length][][];
        for (int j = 0; j < order.length; j++) out[j] = a[order[j]];
        return out;
    }

    public static double[] permute(double[] v, int[] order) {
        double[] out = new double[v.length];
        for (int j = 0; j < order.length; j++) out[j] = v[order[j]];
        return out;
    }
}
