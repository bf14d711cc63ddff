package org.cavi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * --engine, --master and --partitions without the Spark module (which has its own tests, spark/):
 * bad values are usage errors, and --engine spark says how to get the engine, never a stack trace.
 */
class EngineFlagsTest {
    private static void usageError(String expected, String... args) {
        Cli r = Cli.run(args);
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains(expected), r.err());
        assertFalse(r.err().contains("Exception"), r.err());
        assertEquals("", r.out());
    }

    @Test
    void anUnknownEngineIsAUsageError() {
        usageError("--engine must be local or spark, not gpu", "run", "models/gmm.vi", "--engine", "gpu");
    }

    @Test
    void masterAndPartitionsAreForSpark() {
        usageError("--master is for --engine spark", "run", "models/gmm.vi", "--master", "local[2]");
        usageError("--partitions is for --engine spark", "run", "models/gmm.vi", "--partitions", "2");
    }

    @Test
    void aBadMasterOrPartitionCountIsAUsageError() {
        usageError("--master must be", "run", "models/gmm.vi", "--engine", "spark", "--master", "local[two]");
        usageError("--partitions must be from 1 to 64, not 65", "run", "models/gmm.vi", "--engine", "spark", "--partitions", "65");
    }

    @Test
    void sparkWithoutTheModuleSaysHowToBuildIt() {
        usageError("mvn -B -f spark/pom.xml package", "run", "models/gmm.vi", "--engine", "spark");
    }

    @Test
    void theLocalEngineIsTheDefaultAndCanBeNamed() {
        Cli named = Cli.run("run", "models/gmm.vi", "--engine", "local", "--json", "--restarts", "2");
        Cli plain = Cli.run("run", "models/gmm.vi", "--json", "--restarts", "2");
        assertEquals(0, named.code(), named.err());
        assertEquals(plain.out().replaceAll("\"(seconds|load_seconds)\" : [-0-9.eE+]+", ""),
                named.out().replaceAll("\"(seconds|load_seconds)\" : [-0-9.eE+]+", ""));
    }
}
