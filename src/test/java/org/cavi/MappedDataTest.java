package org.cavi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.cavi.data.DataLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** .npy data are fitted where they lie, memory-mapped: the same fit as from the heap, and data larger than the heap. */
class MappedDataTest {
    @TempDir
    Path tmp;

    /** A version-1 .npy header for n rows of d float64 values, as numpy writes it. */
    private static byte[] header(long n, int d) {
        String shape = d == 1 ? n + "," : n + ", " + d;
        String dict = "{'descr': '<f8', 'fortran_order': False, 'shape': (" + shape + "), }";
        int pad = 64 - (10 + dict.length() + 1) % 64;
        String text = dict + " ".repeat(pad) + "\n";
        ByteBuffer b = ByteBuffer.allocate(10 + text.length()).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.ISO_8859_1)).put((byte) 1).put((byte) 0);
        b.putShort((short) text.length()).put(text.getBytes(StandardCharsets.ISO_8859_1));
        return b.array();
    }

    private Path npy(String name, double[] values, int d) throws IOException {
        ByteBuffer body = ByteBuffer.allocate(8 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (double v : values) body.putDouble(v);
        Path p = tmp.resolve(name);
        byte[] head = header(values.length / d, d);
        byte[] all = new byte[head.length + body.capacity()];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(body.array(), 0, all, head.length, body.capacity());
        Files.write(p, all);
        return p;
    }

    @Test
    void aMappedFileFitsExactlyAsTheSameValuesFromCsv() throws IOException {
        ObjectMapper m = new ObjectMapper();
        // 1-D large enough for the vectorised pass, and 2-D
        String[][] cases = {{"models/gmm.vi", "300000", "1"}, {"models/bishop-gmm.vi", "20000", "2"}};
        for (String[] c : cases) {
            Cli sim = Cli.run("simulate", c[0], "--n", c[1], "--seed", "12");
            assertEquals(0, sim.code(), sim.err());
            Path csv = tmp.resolve("x.csv");
            Files.writeString(csv, sim.out());
            int d = Integer.parseInt(c[2]);
            DataLoader.Loaded l = DataLoader.load(DataLoader.Source.parse(csv.toString(), tmp), d);
            assertTrue(l.ok());
            Path mapped = npy("x.npy", l.values(), d);
            String[] fits = new String[2];
            for (int i = 0; i < 2; i++) {
                Cli r = Cli.run("run", c[0], "--data", "x=" + (i == 0 ? csv : mapped), "--json", "--restarts", "2", "--max-iter", "30");
                assertEquals(0, r.code(), r.err());
                ObjectNode j = (ObjectNode) m.readTree(r.out());
                j.remove("seconds");
                j.remove("load_seconds");
                fits[i] = j.toString();
            }
            assertEquals(fits[0], fits[1], c[0]);
        }
    }

    @Test
    void dataLargerThanTheHeapAreFittedAndAssigned() throws Exception {
        // 12·10^6 values, 96 MB, for a JVM with a 40 MB heap: they cannot be in it
        long n = 12_000_000;
        Path file = tmp.resolve("big.npy");
        SplittableRandom rng = new SplittableRandom(3);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(header(n, 1)));
            ByteBuffer chunk = ByteBuffer.allocate(8 << 16).order(ByteOrder.LITTLE_ENDIAN);
            for (long i = 0; i < n; i++) {
                chunk.putDouble(rng.nextGaussian() + (i % 2 == 0 ? -4 : 4));
                if (!chunk.hasRemaining() || i == n - 1) {
                    chunk.flip();
                    while (chunk.hasRemaining()) ch.write(chunk);
                    chunk.clear();
                }
            }
        }
        Path model = tmp.resolve("two.vi");
        Files.writeString(model, """
                const K = 2
                data x[n]
                mu[k] ~ Normal(0, 100) for k in 1..K
                c[i] ~ Categorical(K) for i in 1..n
                x[i] ~ Normal(mu[c[i]], 1) for i in 1..n
                """);
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(List.of(java.toString(), "-Xmx40m", "-cp", System.getProperty("java.class.path"),
                "org.cavi.cli.Main", "run", model.toString(), "--data", "x=" + file, "--json", "--restarts", "1", "--max-iter", "4",
                "--assignments", tmp.resolve("a.csv").toString()))
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        var j = new ObjectMapper().readTree(out);
        assertEquals(n, j.get("n").asLong());
        assertTrue(j.get("sweeps").asInt() >= 2, out);
        // the two means, sorted: about −4 and 4
        assertEquals(-4, j.get("q").get("mu").get("mean").get(0).asDouble(), 0.01);
        assertEquals(4, j.get("q").get("mu").get("mean").get(1).asDouble(), 0.01);
        // the assignments too are written point by point, not held
        try (var lines = Files.lines(tmp.resolve("a.csv"))) {
            assertEquals(n + 1, lines.count());
        }
    }
}
