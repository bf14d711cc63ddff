package org.cavi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.cavi.data.DataLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loading: every value is the double Java parses, whatever the number looks like. */
class DataTest {
    @TempDir Path tmp;

    private DataLoader.Loaded load(String text, String spec, int d) throws IOException {
        Path p = tmp.resolve("d.csv");
        Files.writeString(p, text);
        return DataLoader.load(DataLoader.Source.parse(p + spec, Path.of(".")), d);
    }

    @Test
    void valuesAreExactlyWhatParseDoubleGives() throws IOException {
        SplittableRandom rng = new SplittableRandom(3);
        StringBuilder csv = new StringBuilder("id,x\r\n");
        String[] cells = new String[20000];
        for (int i = 0; i < cells.length; i++) {
            double v = switch (i % 6) {
                case 0 -> rng.nextGaussian();
                case 1 -> rng.nextGaussian() * 1e-12;
                case 2 -> rng.nextGaussian() * 1e17;
                case 3 -> Math.rint(rng.nextGaussian() * 100);
                case 4 -> rng.nextDouble() * 1e-300;
                default -> rng.nextGaussian() * 1e150;
            };
            String text = i % 7 == 0 ? String.format(java.util.Locale.ROOT, "%.25f", v) : Double.toString(v);
            if (i % 13 == 0 && v >= 0) text = "+" + text;
            if (i % 11 == 0) text = " " + text + " ";
            cells[i] = text;
            csv.append(i).append(',').append(text).append(i % 5 == 0 ? "\r\n" : "\n");
            if (i % 97 == 0) csv.append('\n');
        }
        csv.append("20000,-0\n20001,.5\n20002,7.\n20003,0000.000125\n");
        DataLoader.Loaded l = load(csv.toString(), ":x", 1);
        assertTrue(l.ok(), () -> l.error().message());
        double[] got = l.values();
        assertEquals(cells.length + 4, got.length);
        for (int i = 0; i < cells.length; i++) {
            assertEquals(Double.doubleToRawLongBits(Double.parseDouble(cells[i].strip())), Double.doubleToRawLongBits(got[i]), cells[i]);
        }
        assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(got[cells.length]));
        assertArrayEquals(new double[] {0.5, 7.0, 0.000125}, java.util.Arrays.copyOfRange(got, cells.length + 1, got.length));
    }

    @Test
    void quotedFilesAndSeveralColumnsAreRead() throws IOException {
        DataLoader.Loaded quoted = load("\"a\",\"b\"\n\"1.5\",\"2\"\n\"3\",\"4e2\"\n", ":b,a", 2);
        assertTrue(quoted.ok(), () -> quoted.error().message());
        assertArrayEquals(new double[] {2, 1.5, 400, 3}, quoted.values());
        DataLoader.Loaded all = load("u,v\n1,2\n3,4\n", "", 2);
        assertArrayEquals(new double[] {1, 2, 3, 4}, all.values());
        DataLoader.Loaded short_ = load("u,v\n1,2\n3\n", "", 2);
        assertTrue(short_.error().message().contains(":3: this row has too few cells, so no value for column 'v'"),
                short_.error().message());
    }
}
