package org.cavi.infer;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The variational posterior as reported: one block per latent (or per joint factor), each
 * with its family and named parameter vectors, components in the order of the key latent's mean.
 */
public record Posterior(List<Block> blocks) {
    public Posterior { blocks = List.copyOf(blocks); }

    /** @param fields parameter name → one value per component (or per category) */
    public record Block(String latent, String family, Map<String, double[]> fields) {
        public Block {
            Map<String, double[]> copy = new LinkedHashMap<>();
            fields.forEach((k, v) -> copy.put(k, v.clone()));
            fields = java.util.Collections.unmodifiableMap(copy);
        }

        public double[] field(String name) { return fields.get(name).clone(); }
    }

    public Block block(String latent) {
        return blocks.stream().filter(b -> b.latent().equals(latent)).findFirst().orElseThrow();
    }

    /** The same posterior with every per-component vector permuted by {@code order}. */
    Posterior permuted(int[] order, int k) {
        return new Posterior(blocks.stream().map(b -> {
            Map<String, double[]> f = new LinkedHashMap<>();
            b.fields().forEach((name, v) -> f.put(name, v.length == k ? permute(v, order) : v));
            return new Block(b.latent(), b.family(), f);
        }).toList());
    }

    static double[] permute(double[] v, int[] order) {
        double[] out = new double[v.length];
        for (int j = 0; j < order.length; j++) out[j] = v[order[j]];
        return out;
    }
}
