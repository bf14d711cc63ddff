package org.cavi.infer;

/** How to fit: restarts from seeded initialisations, and when to stop a restart. */
public record FitOptions(long seed, int restarts, int maxIter, double tol, int threads) {
    public FitOptions(long seed, int restarts, int maxIter, double tol) {
        this(seed, restarts, maxIter, tol, Parallel.defaultThreads());
    }

    public static final long DEFAULT_SEED = 1;
    public static final int DEFAULT_RESTARTS = 10;
    public static final int DEFAULT_MAX_ITER = 1000;
    public static final double DEFAULT_TOL = 1e-8;

    public static FitOptions defaults() {
        return new FitOptions(DEFAULT_SEED, DEFAULT_RESTARTS, DEFAULT_MAX_ITER, DEFAULT_TOL);
    }
}
