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
        String[] more = {"-0", ".5", "7.", "0000.000125", "9007199254740993", "1e23", "1E5", "1e+5", "5e-1", "1.e3",
            ".5e1", "8.98846567431158e307", "2.2250738585072011e-308", "4.9e-324", "1.7976931348623157e308",
            "123456789012345678901234", "1.0000000000000000000000000001", "12345678901234567890000", "1e-400",
            "0.30000000000000004", "-2.5E-10"};
        for (int i = 0; i < more.length; i++) csv.append(20000 + i).append(',').append(more[i]).append('\n');
        DataLoader.Loaded l = load(csv.toString(), ":x", 1);
        assertTrue(l.ok(), () -> l.error().message());
        double[] got = l.values();
        assertEquals(cells.length + more.length, got.length);
        for (int i = 0; i < more.length; i++) {
            assertEquals(Double.doubleToRawLongBits(Double.parseDouble(more[i])), Double.doubleToRawLongBits(got[cells.length + i]), more[i]);
        }
        for (int i = 0; i < cells.length; i++) {
            assertEquals(Double.doubleToRawLongBits(Double.parseDouble(cells[i].strip())), Double.doubleToRawLongBits(got[i]), cells[i]);
        }
        assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(got[cells.length]));
    }

    /** A version-1 .npy file, written the way numpy writes one. */
    private Path npy(String descr, String shape, double[] values) throws IOException {
        String dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': (" + shape + "), }";
        int pad = 64 - (10 + dict.length() + 1) % 64;
        String header = dict + " ".repeat(pad) + "\n";
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(10 + header.length() + 8 * values.length)
                .order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 0x93).put("NUMPY".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1)).put((byte) 1).put((byte) 0);
        b.putShort((short) header.length()).put(header.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        for (double v : values) b.putDouble(v);
        Path p = tmp.resolve("x.npy");
        Files.write(p, b.array());
        return p;
    }

    @Test
    void npyFilesAreReadAsTheyAre() throws IOException {
        double[] v = {1.5, -2.25, 1e-300, 3e150, -0.0, 7};
        DataLoader.Loaded one = DataLoader.load(DataLoader.Source.parse(npy("<f8", "6,", v).toString(), Path.of(".")), 1);
        assertTrue(one.ok(), () -> one.error().message());
        assertArrayEquals(v, one.values());
        DataLoader.Loaded two = DataLoader.load(DataLoader.Source.parse(npy("<f8", "3, 2", v).toString(), Path.of(".")), 2);
        assertArrayEquals(v, two.values());
        DataLoader.Loaded wrongShape = DataLoader.load(DataLoader.Source.parse(npy("<f8", "6,", v).toString(), Path.of(".")), 2);
        assertTrue(wrongShape.error().message().contains("has shape (6,) but the data need (n, 2)"), wrongShape.error().message());
        DataLoader.Loaded wrongType = DataLoader.load(DataLoader.Source.parse(npy("<i8", "6,", v).toString(), Path.of(".")), 1);
        assertTrue(wrongType.error().message().contains("dtype is '<i8'"), wrongType.error().message());
        DataLoader.Loaded nan = DataLoader.load(DataLoader.Source.parse(npy("<f8", "2,", new double[] {1, Double.NaN}).toString(),
                Path.of(".")), 1);
        assertTrue(nan.error().message().contains("row 2: NaN is not a finite number"), nan.error().message());
    }

    @Test
    void bigFilesAreReadInPartsWithTheRightLineNumbers() throws IOException {
        // more than the 8 MiB a file needs before it is read by several threads
        int rows = 700_000;
        StringBuilder csv = new StringBuilder("a,x\n");
        for (int i = 0; i < rows; i++) {
            csv.append(i).append(',').append(i * 0.001 - 3.25).append('\n');
            if (i == 400_000) csv.append('\n'); // a blank line: it counts as a line
        }
        DataLoader.Loaded ok = load(csv.toString(), ":x", 1);
        assertTrue(ok.ok(), () -> ok.error().message());
        assertEquals(rows, ok.values().length);
        for (int i = 0; i < rows; i += 9973) assertEquals(i * 0.001 - 3.25, ok.values()[i]);
        int bad = 650_000; // data row 650000, after the blank line: file line 650000 + 1 (header) + 1 (blank) + 1
        String broken = csv.toString().replace("\n" + bad + ",", "\n" + bad + ",oops");
        DataLoader.Loaded err = load(broken, ":x", 1);
        assertTrue(err.error().message().contains("d.csv:" + (bad + 3) + ": column 'x': 'oops"), err.error().message());
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
