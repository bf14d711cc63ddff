package org.cavi;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.cavi.driver.Driver;
import org.cavi.driver.Outcome;
import org.cavi.plan.Mixture;
import org.cavi.source.SourceFile;

/** Compiles model text for tests through the same Driver the CLI uses. */
public final class Models {
    private Models() {}

    public static final String GMM = """
            model T
            const K = 3
            const mu0 = 0
            const sigma2 = 4
            const lambda = 1
            data x[n]
            mu[k] ~ Normal(mu0, sigma2)    for k in 1..K
            c[i]  ~ Categorical(K)         for i in 1..n
            x[i]  ~ Normal(mu[c[i]], lambda) for i in 1..n
            """;

    public static Driver.Compiled compile(String text, String... sets) {
        Driver.Request req = new Driver.Request(new SourceFile("test.vi", text), Path.of("."),
                Map.of("x", "unused.csv"), List.of(sets), true);
        Outcome<Driver.Compiled> c = Driver.compile(req);
        assertTrue(c.ok(), () -> c.problem().map(p -> p.render()).orElse(""));
        return c.get();
    }

    public static Mixture gmm(int k, double mu0, double sigma2, double lambda) {
        return compile(GMM, "K=" + k, "mu0=" + mu0, "sigma2=" + sigma2, "lambda=" + lambda).plan().mixture();
    }
}
