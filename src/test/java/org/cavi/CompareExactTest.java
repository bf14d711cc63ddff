package org.cavi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `cavi compare-exact`: where q's family holds the exact posterior, the fit's ELBO (summed by the
 * runtime, term by term) equals the closed-form log evidence (computed apart from it); for the
 * mean-field Normal with unknown mean and precision the log evidence is checked by integrating
 * p(x | μ, τ)·p(μ, τ) over a grid, and the KL is positive.
 */
class CompareExactTest {
    @TempDir Path tmp;

    record Comparison(double logEvidence, double elbo, double kl, String out) {}

    static Comparison compare(String... args) {
        String[] argv = new String[args.length + 1];
        argv[0] = "compare-exact";
        System.arraycopy(args, 0, argv, 1, args.length);
        Cli r = Cli.run(argv);
        assertEquals(0, r.code(), r.err());
        double[] v = new double[3];
        String[] heads = {"log p(x)", "ELBO", "KL(q || p)"};
        for (int i = 0; i < 3; i++) {
            String head = heads[i];
            String line = r.out().lines().filter(l -> l.startsWith(head + " ")).findFirst().orElseThrow();
            v[i] = Double.parseDouble(line.substring(head.length()).trim().split("\\s+")[0]);
        }
        return new Comparison(v[0], v[1], v[2], r.out());
    }

    Path model(String name, String text) throws Exception {
        return Files.writeString(tmp.resolve(name), text);
    }

    @Test
    void whereQIsTheExactPosteriorTheElboIsTheLogEvidence() throws Exception {
        Path counts = Path.of("models/data/counts.csv").toAbsolutePath();
        Path normal = Path.of("models/data/normal.csv").toAbsolutePath();
        List<String[]> cases = List.of(
                new String[] {"models/beta-bernoulli.vi"},
                new String[] {"models/gamma-poisson.vi"},
                new String[] {model("exp.vi", "model E\ndata x[n] from \"" + counts + "\"\nrate ~ Gamma(2, 3)\n"
                        + "x[i] ~ Exponential(rate) for i in 1..n\n").toString()},
                new String[] {model("known.vi", "model K\ndata x[n] from \"" + normal + "\"\nmu ~ Normal(1, 4)\n"
                        + "x[i] ~ Normal(mu, 0.5) for i in 1..n\n").toString()},
                new String[] {"models/normal-mean-precision.vi", "--set", "mu=2.5"},
                new String[] {model("joint.vi", Files.readString(Path.of("models/normal-mean-precision.vi"))
                        .replace("\"data/normal.csv\"", "\"" + normal + "\"") + "q(mu, tau)\n").toString()},
                new String[] {model("indep.vi", "model I\ndata x[n] from \"" + normal + "\"\nmu ~ Normal(1, 4)\ntau ~ Gamma(2, 1)\n"
                        + "x[i] ~ Normal(mu, 1/tau) for i in 1..n\n").toString(), "--set", "mu=2.5"});
        for (String[] c : cases) {
            Comparison r = compare(c);
            assertEquals(r.logEvidence(), r.elbo(), 1e-6, String.join(" ", c) + "\n" + r.out());
            assertEquals(0, r.kl(), 1e-9 * Math.abs(r.logEvidence()), String.join(" ", c));
            assertTrue(r.out().contains("q is the exact posterior"), r.out());
        }
    }

    @Test
    void theMeanFieldNormalGammaPaysAPositiveKl() throws Exception {
        Comparison r = compare("models/normal-mean-precision.vi");
        assertTrue(r.kl() > 1e-4, r.out());
        // log p(x) = log ∫∫ p(x | μ, τ) N(μ | 0, 1/τ) Gamma(τ | 1, 1) dμ dτ, on a grid around the posterior
        List<String> lines = Files.readAllLines(Path.of("models/data/normal.csv"));
        double[] x = lines.stream().skip(1).mapToDouble(Double::parseDouble).toArray();
        int n = x.length;
        double muLo = 2.2, muHi = 3.5, tauLo = 0.3, tauHi = 0.75;
        int steps = 1200;
        double dm = (muHi - muLo) / steps, dt = (tauHi - tauLo) / steps;
        double most = Double.NEGATIVE_INFINITY;
        double[] logs = new double[steps * steps];
        for (int a = 0; a < steps; a++) {
            double mu = muLo + (a + 0.5) * dm;
            double squares = 0;
            for (double v : x) squares += (v - mu) * (v - mu);
            for (int b = 0; b < steps; b++) {
                double tau = tauLo + (b + 0.5) * dt;
                double log = n * 0.5 * Math.log(tau / (2 * Math.PI)) - 0.5 * tau * squares // likelihood
                        + 0.5 * Math.log(tau / (2 * Math.PI)) - 0.5 * tau * mu * mu       // μ | τ ~ N(0, 1/τ)
                        - tau;                                                             // τ ~ Gamma(1, 1)
                logs[a * steps + b] = log;
                most = Math.max(most, log);
            }
        }
        double sum = 0;
        for (double l : logs) sum += Math.exp(l - most);
        double logEvidence = most + Math.log(sum * dm * dt);
        assertEquals(logEvidence, r.logEvidence(), 1e-5, r.out());
    }

    /** Bishop's Fig. 10.4: four panels, each with the exact posterior's contours (green) and q's (red). */
    @Test
    void theContoursOfEachHalfUpdateAreDrawn() throws Exception {
        Path png = tmp.resolve("exact.png");
        Cli r = Cli.run("compare-exact", "models/normal-mean-precision.vi", "--plot", png.toString());
        assertEquals(0, r.code(), r.err());
        java.awt.image.BufferedImage image = javax.imageio.ImageIO.read(png.toFile());
        assertEquals(1000, image.getWidth());
        assertEquals(1000, image.getHeight());
        for (int panel = 0; panel < 4; panel++) {
            int x0 = (panel % 2) * 500, y0 = (panel / 2) * 500;
            assertTrue(PlotPictureTest.count(image, new java.awt.Color(0x2ca02c), x0, x0 + 500, y0 + 40, y0 + 440) > 100, "green in " + panel);
            assertTrue(PlotPictureTest.count(image, new java.awt.Color(0xd62728), x0, x0 + 500, y0 + 40, y0 + 440) > 100, "red in " + panel);
        }
        r = Cli.run("compare-exact", "models/beta-bernoulli.vi", "--plot", png.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("Fig. 10.4"), r.err());
    }

    @Test
    void modelsWithoutAClosedFormAreRefused() {
        Cli r = Cli.run("compare-exact", "models/gmm.vi");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("without assignments"), r.err());
        r = Cli.run("compare-exact", "models/gmm-precisions.vi", "--set", "K=1");
        assertEquals(2, r.code());
    }
}
