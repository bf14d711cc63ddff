package org.cavi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The extreme values issue 12 measured (data at 1e154 and outliers are ScaleTest's, a vague
 * Gamma prior VaguePriorTest's): each is now a located refusal with its own exit code, or a
 * correct fit.
 */
class ExtremeValuesTest {
    @Test
    void aNumberBeyondDoublesInASetIsAUsageErrorNamingIt() {
        Cli alpha = Cli.run("run", "models/gmm-dirichlet.vi", "--set", "alpha=1e400");
        assertEquals(2, alpha.code(), alpha.err());
        assertTrue(alpha.err().contains("the number 1e400 is too large"), alpha.err());
        Cli sigma = Cli.run("run", "models/mvn-known.vi", "--set", "Sigma=[[1e400,0],[0,1]]");
        assertEquals(2, sigma.code(), sigma.err());
        assertTrue(sigma.err().contains("the number 1e400 is too large"), sigma.err());
        assertFalse((alpha.out() + sigma.out()).contains("NaN"));
    }

    @Test
    void aNegativeSigmaIsNotAnErrorWhereTheModelSquaresIt() {
        // gmm.vi's prior is Normal(0, sigma^2): sigma = −1 is the same model as sigma = 1, and fits the same, bit for bit
        Cli minus = Cli.run("run", "models/gmm.vi", "--set", "sigma=-1", "--restarts", "2", "--json");
        Cli plus = Cli.run("run", "models/gmm.vi", "--set", "sigma=1", "--restarts", "2", "--json");
        assertEquals(0, minus.code(), minus.err());
        assertEquals(plus.out().replaceAll(".*seconds.*\\n", ""), minus.out().replaceAll(".*seconds.*\\n", ""));
    }

    @Test
    void simulatingMoreThanTheHeapHoldsIsRefusedBeforeItRunsOut() {
        // 2-D: more values than one array holds, so refused on any heap
        Cli r = Cli.run("simulate", "models/bishop-gmm.vi", "--n", "2147483647");
        assertEquals(71, r.code(), r.err());
        assertTrue(r.err().startsWith("error: --n 2147483647 draws 4294967294 values (34.4 GB), more than cavi holds in one run"), r.err());
        // 1-D: within an array, but more than this JVM's heap (24 GB machines give Java about 6 GB)
        if (Runtime.getRuntime().maxMemory() < 17e9) {
            Cli one = Cli.run("simulate", "models/gmm.vi", "--n", "2147483000");
            assertEquals(71, one.code(), one.err());
            assertTrue(one.err().startsWith("error: --n 2147483000 needs 17.2 GB for the draws, more than the Java heap of"), one.err());
        }
        assertEquals("", r.out());
    }

    @Test
    void aDirichletOrStickConcentrationBeyondWhatTheFitTakesIsLocated() {
        Cli r = Cli.run("check", "models/bad/dirichlet-overflow.vi");
        assertEquals(65, r.code(), r.err());
        assertTrue(r.err().startsWith("models/bad/dirichlet-overflow.vi:14:13: error: the concentrations of this Dirichlet add up to"),
                r.err());
    }
}
