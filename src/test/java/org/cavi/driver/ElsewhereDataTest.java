package org.cavi.driver;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.cavi.Cli;
import org.junit.jupiter.api.Test;

/** Which data specs only a distributed engine reads, their columns, and the errors without one (the Spark module's tests read them). */
class ElsewhereDataTest {
    @Test
    void urlsAndParquetAreReadElsewhere() {
        assertTrue(ElsewhereData.is("hdfs://nn:8020/data/x.csv"));
        assertTrue(ElsewhereData.is("s3a://bucket/x.npy"));
        assertTrue(ElsewhereData.is("file:///tmp/x.csv:x1,x2"));
        assertTrue(ElsewhereData.is("data/events.parquet"));
        assertTrue(ElsewhereData.is("data/events.parquet/:a,b"));
        assertFalse(ElsewhereData.is("data/x.csv"));
        assertFalse(ElsewhereData.is("data/x.csv:2"));
        assertFalse(ElsewhereData.is("x.npy"));
    }

    @Test
    void columnsFollowTheLastColonThatIsNotPartOfThePath() {
        assertArrayEquals(new String[] {"hdfs://nn:8020/data/x.csv", null}, ElsewhereData.split("hdfs://nn:8020/data/x.csv"));
        assertArrayEquals(new String[] {"hdfs://nn:8020/data/x.csv", "x1,x2"}, ElsewhereData.split("hdfs://nn:8020/data/x.csv:x1,x2"));
        assertArrayEquals(new String[] {"s3a://bucket/x.parquet", null}, ElsewhereData.split("s3a://bucket/x.parquet"));
        assertArrayEquals(new String[] {"file:///tmp/x.csv", "2"}, ElsewhereData.split("file:///tmp/x.csv:2"));
        assertArrayEquals(new String[] {"d/x.parquet", "a"}, ElsewhereData.split("d/x.parquet:a"));
    }

    @Test
    void withoutSparkTheyAreUsageErrorsThatSayWhatToDo() {
        Cli local = Cli.run("run", "models/gmm.vi", "--data", "x=hdfs://nn:8020/x.csv");
        assertEquals(2, local.code(), local.err());
        assertTrue(local.err().contains("hdfs://nn:8020/x.csv: data at a file-system URL or in Parquet are read by the Spark engine"),
                local.err());
        assertTrue(local.err().contains("--engine spark"), local.err());
        // the core's tests run without the Spark module: --engine spark says how to build it
        Cli noModule = Cli.run("run", "models/gmm.vi", "--data", "x=hdfs://nn:8020/x.csv", "--engine", "spark");
        assertEquals(2, noModule.code(), noModule.err());
        assertTrue(noModule.err().contains("the spark engine is not on the classpath"), noModule.err());
        for (Cli c : new Cli[] {local, noModule}) {
            assertFalse(c.err().contains("Exception"), c.err());
            assertEquals("", c.out());
        }
    }
}
