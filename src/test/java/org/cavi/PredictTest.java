package org.cavi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.commons.math3.random.Well19937c;
import org.cavi.family.Dense;
import org.cavi.family.PositiveFamily;
import org.cavi.family.Wishart;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `cavi predict` against mathematics it does not use: the Beta-Bernoulli's closed form from the
 * counts, quadrature of the Poisson against q(rate), draws from q itself (Normal-Gamma,
 * mean-field, Normal-Wishart), and densities that integrate to 1.
 */
class PredictTest {
    @TempDir Path tmp;
    static final ObjectMapper JSON = new ObjectMapper();

    /** The log densities, and each row's responsibilities, that predict writes for these points. */
    List<double[]> predict(String model, String csv, String... more) throws Exception {
        Path in = Files.writeString(tmp.resolve("new" + Math.abs(csv.hashCode()) + ".csv"), csv);
        Path out = tmp.resolve("out.csv");
        List<String> args = new java.util.ArrayList<>(List.of("predict", model, "--new", in.toString(), "--out", out.toString()));
        args.addAll(List.of(more));
        Cli r = Cli.run(args.toArray(new String[0]));
        assertEquals(0, r.code(), r.err());
        List<String> lines = Files.readAllLines(out);
        assertTrue(lines.get(0).startsWith("log_density"), lines.get(0));
        double total = 0;
        List<double[]> rows = lines.subList(1, lines.size()).stream()
                .map(l -> java.util.Arrays.stream(l.split(",")).mapToDouble(Double::parseDouble).toArray()).toList();
        for (double[] row : rows) total += row[0];
        assertTrue(r.out().contains(String.format(java.util.Locale.ROOT, "in all, %.6f per point", total / rows.size())), r.out());
        return rows;
    }

    static JsonNode q(String model, String... more) throws Exception {
        List<String> args = new java.util.ArrayList<>(List.of("run", model, "--json"));
        args.addAll(List.of(more));
        Cli r = Cli.run(args.toArray(new String[0]));
        assertEquals(0, r.code(), r.err());
        return JSON.readTree(r.out()).get("q");
    }

    @Test
    void betaBernoulliIsTheCountsRule() throws Exception {
        List<String> data = Files.readAllLines(Path.of("models/data/coin.csv"));
        long ones = data.stream().skip(1).filter(l -> l.trim().equals("1")).count();
        long n = data.size() - 1;
        double p1 = (2 + ones) / (4.0 + n); // Beta(2, 2) prior: (a0 + Σx)/(a0 + b0 + n)
        List<double[]> rows = predict("models/beta-bernoulli.vi", "x\n1\n0\n");
        assertEquals(Math.log(p1), rows.get(0)[0], 1e-12);
        assertEquals(Math.log(1 - p1), rows.get(1)[0], 1e-12);
    }

    @Test
    void gammaPoissonIsThePoissonAveragedOverQ() throws Exception {
        JsonNode rate = q("models/gamma-poisson.vi").get("rate");
        double a = rate.get("shape").get(0).asDouble(), b = rate.get("rate").get(0).asDouble();
        List<double[]> rows = predict("models/gamma-poisson.vi", "x\n0\n2\n7\n");
        int[] xs = {0, 2, 7};
        var gamma = new org.apache.commons.math3.distribution.GammaDistribution(null, a, 1 / b);
        for (int t = 0; t < xs.length; t++) {
            // ∫ Poisson(x | λ) Gamma(λ | a, b) dλ by the midpoint rule over q's mass
            double lo = gamma.inverseCumulativeProbability(1e-12), hi = gamma.inverseCumulativeProbability(1 - 1e-12);
            int steps = 200_000;
            double h = (hi - lo) / steps, sum = 0;
            for (int s = 0; s < steps; s++) {
                double lambda = lo + (s + 0.5) * h;
                sum += gamma.density(lambda) * new org.apache.commons.math3.distribution.PoissonDistribution(null, lambda, 1e-12, 10_000)
                        .probability(xs[t]) * h;
            }
            assertEquals(Math.log(sum), rows.get(t)[0], 1e-7, "x = " + xs[t]);
        }
    }

    /** A few points, so that q keeps wide tails (beta near 2) and the predictive's every term shows. */
    String[] fewPoints(String csv) throws Exception {
        return new String[] {"--data", "x=" + Files.writeString(tmp.resolve("few" + Math.abs(csv.hashCode()) + ".csv"), csv)};
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(booleans = {false, true})
    void normalGammaMixtureIsItsDrawsAverage(boolean few) throws Exception {
        String[] data = few ? fewPoints("x\n-5.1\n-4.7\n0.3\n-0.2\n6.1\n5.8\n6.4\n") : new String[0];
        JsonNode q = q("models/gmm-normal-gamma.vi", data);
        JsonNode mu = q.get("mu"), tau = q.get("tau"), pi = q.get("pi");
        double[] xs = {-5, -1, 0.5, 6, 9};
        StringBuilder csv = new StringBuilder("x\n");
        for (double x : xs) csv.append(x).append('\n');
        List<double[]> rows = predict("models/gmm-normal-gamma.vi", csv.toString(), data);
        SplittableRandom rng = new SplittableRandom(3);
        Well19937c well = new Well19937c(3);
        int draws = 200_000;
        double[] mc = new double[xs.length];
        for (int s = 0; s < draws; s++) {
            for (int j = 0; j < 3; j++) {
                double t = PositiveFamily.GAMMA.sample(tau.get("shape").get(j).asDouble(), tau.get("rate").get(j).asDouble(), well);
                double m = mu.get("mean").get(j).asDouble() + rng.nextGaussian() / Math.sqrt(mu.get("beta").get(j).asDouble() * t);
                for (int i = 0; i < xs.length; i++) {
                    double d = xs[i] - m;
                    mc[i] += pi.get("mean").get(j).asDouble() * Math.sqrt(t / (2 * Math.PI)) * Math.exp(-0.5 * t * d * d) / draws;
                }
            }
        }
        for (int i = 0; i < xs.length; i++) assertEquals(Math.log(mc[i]), rows.get(i)[0], 0.01, "x = " + xs[i]);
        for (double[] row : rows) assertEquals(1, row[1] + row[2] + row[3], 1e-12);
    }

    @Test
    void meanFieldNormalGammaIsItsDrawsAverageAndIntegratesToOne() throws Exception {
        JsonNode q = q("models/normal-mean-precision.vi");
        JsonNode mu = q.get("mu"), tau = q.get("tau");
        double[] xs = {-2, 1, 2.86, 5, 9};
        StringBuilder csv = new StringBuilder("x\n");
        for (double x : xs) csv.append(x).append('\n');
        List<double[]> rows = predict("models/normal-mean-precision.vi", csv.toString());
        SplittableRandom rng = new SplittableRandom(4);
        Well19937c well = new Well19937c(4);
        int draws = 400_000;
        double[] mc = new double[xs.length];
        for (int s = 0; s < draws; s++) {
            double t = PositiveFamily.GAMMA.sample(tau.get("shape").get(0).asDouble(), tau.get("rate").get(0).asDouble(), well);
            double m = mu.get("mean").get(0).asDouble() + rng.nextGaussian() * mu.get("sd").get(0).asDouble();
            for (int i = 0; i < xs.length; i++) {
                double d = xs[i] - m;
                mc[i] += Math.sqrt(t / (2 * Math.PI)) * Math.exp(-0.5 * t * d * d) / draws;
            }
        }
        for (int i = 0; i < xs.length; i++) assertEquals(Math.log(mc[i]), rows.get(i)[0], 0.01, "x = " + xs[i]);
        // the density over a grid: its integral is 1
        StringBuilder grid = new StringBuilder("x\n");
        double lo = -12, hi = 18, h = 0.01;
        for (double x = lo; x <= hi + 1e-9; x += h) grid.append(x).append('\n');
        double integral = 0;
        for (double[] row : predict("models/normal-mean-precision.vi", grid.toString())) integral += Math.exp(row[0]) * h;
        assertEquals(1, integral, 1e-4);
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(booleans = {false, true})
    void normalWishartMixtureIsItsDrawsAverage(boolean few) throws Exception {
        String[] data = few ? fewPoints("x1,x2\n-4,-2\n-4.5,-1.5\n0.2,3\n-0.3,2.5\n1,-5\n1.4,-4.6\n4,-1\n4.3,-0.6\n") : new String[0];
        JsonNode q = q("models/bishop-gmm.vi", data);
        JsonNode mu = q.get("mu"), lambda = q.get("Lambda"), pi = q.get("pi");
        double[][] xs = {{-4, -2}, {0, 0}, {1, -5}, {3, 3}};
        StringBuilder csv = new StringBuilder("x1,x2\n");
        for (double[] x : xs) csv.append(x[0]).append(',').append(x[1]).append('\n');
        List<double[]> rows = predict("models/bishop-gmm.vi", csv.toString(), data);
        SplittableRandom rng = new SplittableRandom(5);
        Well19937c well = new Well19937c(5);
        int draws = 50_000;
        double[] mc = new double[xs.length];
        for (int j = 0; j < 4; j++) {
            double[] m = JSON.treeToValue(mu.get("mean").get(j), double[].class);
            double[][] w = JSON.treeToValue(lambda.get("W").get(j), double[][].class);
            double beta = mu.get("beta").get(j).asDouble(), nu = lambda.get("nu").get(j).asDouble(), weight = pi.get("mean").get(j).asDouble();
            for (int s = 0; s < draws; s++) {
                double[][] lam = Wishart.sample(nu, w, rng, well);
                double[][] l = Dense.lowerOfSymmetric(Dense.inverse(Dense.scaled(lam, beta)));
                double z1 = rng.nextGaussian(), z2 = rng.nextGaussian();
                double[] centre = {m[0] + l[0][0] * z1, m[1] + l[1][0] * z1 + l[1][1] * z2};
                double logDet = Dense.logDet(lam);
                for (int i = 0; i < xs.length; i++) {
                    double[] d = {xs[i][0] - centre[0], xs[i][1] - centre[1]};
                    mc[i] += weight * Math.exp(-Math.log(2 * Math.PI) + 0.5 * logDet - 0.5 * Dense.quadratic(lam, d)) / draws;
                }
            }
        }
        for (int i = 0; i < xs.length; i++) assertEquals(Math.log(mc[i]), rows.get(i)[0], 0.02, "x = " + java.util.Arrays.toString(xs[i]));
    }

    @Test
    void badRequestsAreClearErrors() throws Exception {
        Path two = Files.writeString(tmp.resolve("two.csv"), "x\n1\n2\n");
        Cli r = Cli.run("predict", "models/beta-bernoulli.vi", "--new", two.toString());
        assertEquals(65, r.code());
        assertTrue(r.err().contains("two.csv:3") && r.err().contains("not valid data"), r.err());
        Path far = Files.writeString(tmp.resolve("far.csv"), "x\n1\n1e200\n");
        r = Cli.run("predict", "models/gmm.vi", "--new", far.toString());
        assertEquals(65, r.code());
        assertTrue(r.err().contains("far.csv:3: this point is so far"), r.err());
        r = Cli.run("predict", "models/gmm.vi");
        assertEquals(2, r.code());
        r = Cli.run("predict", "models/gmm.vi", "--new", two.toString(), "--plot", tmp.resolve("p.png").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("cavi run"), r.err());
    }
}
