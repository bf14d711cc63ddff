package org.cavi.data;

import java.util.SplittableRandom;
import org.cavi.plan.GaussianMixture;

/** Draws data from the model's generative process; latents fixed with --set stay fixed. */
public final class Simulator {
    private Simulator() {}

    public static double[] simulate(GaussianMixture gm, int n, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        int k = gm.k();
        double[] mu = gm.fixedMeans().orElse(null);
        if (mu == null) {
            mu = new double[k];
            for (int j = 0; j < k; j++) mu[j] = gm.priorMean() + Math.sqrt(gm.priorVariance()) * rng.nextGaussian();
        }
        double[] pi = gm.pi();
        double[] fixedC = gm.fixedAssign().orElse(null);
        double sd = Math.sqrt(gm.noiseVariance());
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            int c = fixedC != null ? (int) fixedC[i] - 1 : categorical(pi, rng.nextDouble());
            x[i] = mu[c] + sd * rng.nextGaussian();
        }
        return x;
    }

    private static int categorical(double[] pi, double u) {
        double run = 0;
        for (int j = 0; j < pi.length - 1; j++) {
            run += pi[j];
            if (u < run) return j;
        }
        return pi.length - 1;
    }
}
