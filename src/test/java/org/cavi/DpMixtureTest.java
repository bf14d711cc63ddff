package org.cavi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * StickBreaking(alpha, K) weights in every mixture cavi fits: the ELBO never decreases, and the
 * JSON q block of pi (sorted with the components) still holds the sticks of the model's order.
 */
class DpMixtureTest {
    @TempDir static Path dir;

    static final String SB = "pi ~ StickBreaking(1.5, K)\nc[i] ~ Categorical(pi) for i in 1..n\n";

    static Stream<Arguments> models() {
        String here = Path.of("models", "data").toAbsolutePath().toString();
        return Stream.of(
                Arguments.of("normal-known", "const K = 6\ndata x[n] from \"" + here + "/unequal.csv\"\n" + SB
                        + "mu[k] ~ Normal(0, 100) for k in 1..K\nx[i] ~ Normal(mu[c[i]], 1) for i in 1..n\n"),
                Arguments.of("normal-gamma-mean-field", "const K = 6\ndata x[n] from \"" + here + "/three-scales.csv\"\n" + SB
                        + "tau[k] ~ Gamma(2, 1) for k in 1..K\nmu[k] ~ Normal(0, 1/(0.1*tau[k])) for k in 1..K\n"
                        + "x[i] ~ Normal(mu[c[i]], 1/tau[c[i]]) for i in 1..n\n"),
                Arguments.of("normal-gamma-joint", "const K = 6\ndata x[n] from \"" + here + "/three-scales.csv\"\n" + SB
                        + "tau[k] ~ Gamma(2, 1) for k in 1..K\nmu[k] ~ Normal(0, 1/(0.1*tau[k])) for k in 1..K\n"
                        + "x[i] ~ Normal(mu[c[i]], 1/tau[c[i]]) for i in 1..n\nq(mu[k], tau[k])\n"),
                Arguments.of("mvn-known", "const K = 6\nconst D = 2\ndata x[n, D] from \"" + here + "/blobs2d-known.csv\"\n" + SB
                        + "mu[k] ~ MvNormal(zeros(D), 25*eye(D)) for k in 1..K\nx[i] ~ MvNormal(mu[c[i]], eye(D)) for i in 1..n\n"),
                Arguments.of("mvn-wishart-mean-field", "const K = 8\nconst D = 2\ndata x[n, D] from \"" + here + "/blobs2d.csv\"\n" + SB
                        + "Lambda[k] ~ Wishart(2, eye(D)) for k in 1..K\nmu[k] ~ MvNormal(zeros(D), inv(1*Lambda[k])) for k in 1..K\n"
                        + "x[i] ~ MvNormal(mu[c[i]], inv(Lambda[c[i]])) for i in 1..n\n"),
                Arguments.of("bernoulli", "const K = 5\ndata x[n] from \"" + here + "/bernoulli-mixture.csv\"\n" + SB
                        + "p[k] ~ Beta(1, 1) for k in 1..K\nx[i] ~ Bernoulli(p[c[i]]) for i in 1..n\n"),
                Arguments.of("poisson", "const K = 5\ndata x[n] from \"" + here + "/poisson-mixture.csv\"\n" + SB
                        + "rate[k] ~ Gamma(1, 0.1) for k in 1..K\nx[i] ~ Poisson(rate[c[i]]) for i in 1..n\n"),
                Arguments.of("exponential", "const K = 5\ndata x[n] from \"" + here + "/waiting-times.csv\"\n" + SB
                        + "lambda[k] ~ Gamma(1, 1) for k in 1..K\nx[i] ~ Exponential(lambda[c[i]]) for i in 1..n\n"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void theElboNeverDecreasesAndTheSticksSurviveSorting(String name, String text) throws IOException {
        Path model = dir.resolve(name + ".vi");
        Files.writeString(model, "model M\n" + text);
        Cli r = Cli.run("run", model.toString(), "--json", "--restarts", "3", "--tol", "1e-12", "--max-iter", "3000");
        assertEquals(0, r.code(), r.err());
        JsonNode j = new ObjectMapper().readTree(r.out());
        JsonNode trace = j.get("elbo_trace");
        for (int t = 1; t < trace.size(); t++) {
            double before = trace.get(t - 1).asDouble(), after = trace.get(t).asDouble();
            assertTrue(after >= before - 1e-9 * Math.abs(before), name + ": sweep " + (t + 1) + " lowered the ELBO "
                    + before + " → " + after);
        }
        JsonNode pi = j.get("q").get("pi");
        assertEquals("StickBreaking", pi.get("family").asText());
        int k = j.get("K").asInt(), n = j.get("n").asInt();
        // put the sticks back in the model's order, and rebuild them from N = a − 1
        double[] a = new double[k], b = new double[k], mean = new double[k];
        for (int c = 0; c < k; c++) {
            int s = pi.get("stick").get(c).asInt() - 1;
            a[s] = pi.get("a").get(c).asDouble();
            b[s] = pi.get("b").get(c).asDouble();
            mean[s] = pi.get("mean").get(c).asDouble();
        }
        double tail = 0, rest = 1, total = 0;
        for (int s = k - 1; s >= 0; s--) {
            assertEquals(1.5 + tail, b[s], 1e-9 * n, "b of stick " + (s + 1));
            tail += a[s] - 1;
        }
        assertEquals(n, tail, 1e-9 * n, "Σ N");
        for (int s = 0; s < k; s++) {
            assertEquals(rest * a[s] / (a[s] + b[s]), mean[s], 1e-12, "E[pi] of stick " + (s + 1));
            rest *= b[s] / (a[s] + b[s]);
            total += mean[s];
        }
        assertTrue(total < 1);
        // each component's stick carries its own N: a − 1 is n times its weight (the mean of phi)
        JsonNode w = j.get("q").get("c").get("weights");
        for (int c = 0; c < k; c++) {
            assertEquals(n * w.get(c).asDouble(), pi.get("a").get(c).asDouble() - 1, 1e-6 * n, "component " + (c + 1));
        }
    }

    @Test
    void theModelFitsAndReportsItsEffectiveComponents() {
        Cli r = Cli.run("run", "models/dp-mixture.vi", "--restarts", "2");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("effective components: 4 of 10"), r.out());
    }

    @Test
    void simulateBreaksTheStick() {
        Cli r = Cli.run("simulate", "models/dp-mixture.vi", "--n", "200", "--seed", "3");
        assertEquals(0, r.code(), r.err());
        assertEquals(201, r.out().strip().split("\n").length);
    }
}
