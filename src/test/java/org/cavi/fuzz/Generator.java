package org.cavi.fuzz;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Makes fuzz case i of a seed from (seed, i) alone: a model from {@code models/} or
 * {@code models/bad/}, mutated in its tokens or numbers, or run on generated data or with
 * generated options, under one of the commands check, plan, derive, run, simulate.
 */
public final class Generator {
    private final List<String> names = new ArrayList<>();
    private final List<String> sources = new ArrayList<>();
    private final int good; // the first `good` sources are models/*.vi

    public Generator(Path repo) {
        try {
            for (String dir : List.of("models", "models/bad")) {
                try (Stream<Path> s = Files.list(repo.resolve(dir))) {
                    for (Path p : s.filter(f -> f.toString().endsWith(".vi")).sorted().toList()) {
                        names.add(dir + "/" + p.getFileName());
                        // a file that is not UTF-8 is kept as Latin-1 so it round-trips
                        byte[] b = Files.readAllBytes(p);
                        String text = new String(b, StandardCharsets.UTF_8);
                        if (!java.util.Arrays.equals(text.getBytes(StandardCharsets.UTF_8), b)) text = "model NotUtf8\n";
                        sources.add(text);
                    }
                }
                if (dir.equals("models")) goodCount[0] = names.size();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        good = goodCount[0];
    }

    private final int[] goodCount = new int[1];

    static long mix(long seed, long i) {
        long z = seed * 0x9E3779B97F4A7C15L + i * 0xBF58476D1CE4E5B9L + 0x94D049BB133111EBL;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    static final String[] EXTREME = {"0", "-1", "1", "2", "1e-300", "1e300", "1e400", "1e-400", "1e-320", "0e-400",
        "1e154", "1e155", "1e308", "1.7976931348623157e308", "4.9e-324", "2147483647", "2147483648", "9999999999999",
        "NaN", "Infinity", "-Infinity", "inf", "1e9", "1e-9", "0.0", "-0", ".5", "5.", "1e", "1e+", "0x10", "1_000",
        "1d", "2f", "00001", "1e-308", "1000000", "1e15", "-1e300", "3.5", "0.5", "100"};

    static final String[] ODD = {"\uFEFF", "\u0000", "\uD835\uDED1", "\uD83D\uDE00", "\u0301", "\u202E", "\u2028",
        "\r", "\t", "\u00A0", "é", "µ", "\u3000", "\uFFFD", "\\", "\"", "'", "`", "#", "$", "@", "{", "}", ";", "..",
        "/*", "*/", "//", "\r\n", "\u000B", "\u000C", "\u0085", "\uD800"};

    static final String[] CMDS = {"check", "check", "plan", "plan", "derive", "run", "run", "run", "simulate", "predict",
        "compare-exact", "select"};

    static final Pattern TOKEN = Pattern.compile(
            "\\s+|//[^\\n]*|/\\*.*?\\*/|\"[^\"\\n]*\"|\\d*\\.?\\d+(?:[eE][-+]?\\d+)?|[A-Za-z_][A-Za-z_0-9]*|\\.\\.|.", Pattern.DOTALL);
    static final Pattern NUMBER = Pattern.compile("(?<![A-Za-z_0-9.])\\d*\\.?\\d+(?:[eE][-+]?\\d+)?");
    static final Pattern CONST = Pattern.compile("const\\s+([A-Za-z_][A-Za-z_0-9]*)\\s*=");
    static final Pattern DATA = Pattern.compile("data\\s+([A-Za-z_][A-Za-z_0-9]*)\\s*\\[([^\\]]*)\\]");
    static final Pattern LATENT = Pattern.compile("(?m)^\\s*([A-Za-z_][A-Za-z_0-9]*)\\s*(?:\\[[^\\]]*\\])?\\s*~");

    public FuzzCase make(long seed, long i) {
        SplittableRandom r = new SplittableRandom(mix(seed, i));
        int kindRoll = r.nextInt(100);
        String kind = kindRoll < 40 ? "source" : kindRoll < 60 ? "numbers" : kindRoll < 80 ? "data" : "options";
        int base = kind.equals("source") ? r.nextInt(sources.size()) : r.nextInt(good);
        String src = sources.get(base);
        Map<String, String> files = new LinkedHashMap<>();
        List<String> args = new ArrayList<>();
        String cmd = CMDS[r.nextInt(CMDS.length)];
        args.add(cmd);
        args.add("@DIR@/m/model.vi");
        switch (kind) {
            case "source" -> {
                int n = 1 + r.nextInt(3);
                for (int k = 0; k < n; k++) src = mutateSource(src, r);
            }
            case "numbers" -> {
                int n = 1 + r.nextInt(2);
                for (int k = 0; k < n; k++) src = mutateNumber(src, r);
            }
            case "data" -> dataCase(src, r, files, args);
            default -> optionsCase(src, r, args);
        }
        files.put("m/model.vi", src);
        commandOptions(cmd, kind, r, args, files);
        return new FuzzCase(seed + ":" + i + " (" + names.get(base) + ")", kind, args, files);
    }

    static final String[] NEW_VALUES = {"0", "1", "2", "-3.5", "7", "1000", "1e200", "-1e-300", "0.5", "12", "-40"};

    private static void commandOptions(String cmd, String kind, SplittableRandom r, List<String> args, Map<String, String> files) {
        switch (cmd) {
            case "predict" -> {
                // new points, one or two columns, some beyond what the model has seen
                int columns = 1 + r.nextInt(2);
                StringBuilder csv = new StringBuilder(columns == 1 ? "x\n" : "x1,x2\n");
                for (int i = 0, n = 1 + r.nextInt(6); i < n; i++) {
                    csv.append(NEW_VALUES[r.nextInt(NEW_VALUES.length)]);
                    if (columns == 2) csv.append(',').append(NEW_VALUES[r.nextInt(NEW_VALUES.length)]);
                    csv.append('\n');
                }
                files.put("new.csv", csv.toString());
                args.add("--new"); args.add("@DIR@/new.csv");
                fitOptions(args, 1 + r.nextInt(20));
            }
            case "select" -> {
                args.add("--K"); args.add(new String[] {"1..3", "2", "1,4", "0..2", "3..1"}[r.nextInt(5)]);
                fitOptions(args, 1 + r.nextInt(15));
            }
            case "compare-exact" -> fitOptions(args, 1 + r.nextInt(30));
            case "run" -> {
                if (!kind.equals("options")) {
                    args.add("--max-iter"); args.add(Integer.toString(1 + r.nextInt(30)));
                    args.add("--restarts"); args.add(Integer.toString(1 + r.nextInt(3)));
                } else if (!args.contains("--max-iter")) {
                    args.add("--max-iter"); args.add("40");
                }
                if (!args.contains("--restarts")) { args.add("--restarts"); args.add("2"); }
                if (r.nextInt(3) == 0) args.add("--json");
                if (!args.contains("--threads")) { args.add("--threads"); args.add("1"); }
            }
            case "simulate" -> {
                if (!args.contains("--n")) {
                    args.add("--n");
                    args.add(Integer.toString(1 + r.nextInt(r.nextBoolean() ? 5 : 200)));
                }
            }
            case "derive" -> {
                if (r.nextInt(3) == 0) args.add("--latex");
            }
            default -> { }
        }
    }

    /** A short fit: one restart on one thread, unless the case set them. */
    private static void fitOptions(List<String> args, int maxIter) {
        if (!args.contains("--max-iter")) { args.add("--max-iter"); args.add(Integer.toString(maxIter)); }
        if (!args.contains("--restarts")) { args.add("--restarts"); args.add("1"); }
        if (!args.contains("--threads")) { args.add("--threads"); args.add("1"); }
    }

    // ---- sources ----

    private static List<String> tokens(String src) {
        List<String> t = new ArrayList<>();
        Matcher m = TOKEN.matcher(src);
        while (m.find()) t.add(m.group());
        return t;
    }

    private static int pickNonSpace(List<String> t, SplittableRandom r) {
        for (int tries = 0; tries < 20; tries++) {
            int k = r.nextInt(t.size());
            if (!t.get(k).isBlank()) return k;
        }
        return r.nextInt(t.size());
    }

    static String mutateSource(String src, SplittableRandom r) {
        List<String> t = tokens(src);
        if (t.isEmpty()) return src + "x";
        int op = r.nextInt(12);
        int k = pickNonSpace(t, r);
        switch (op) {
            case 0 -> t.remove(k);
            case 1 -> t.add(k, t.get(k));
            case 2 -> {
                int j = pickNonSpace(t, r);
                String a = t.get(k); t.set(k, t.get(j)); t.set(j, a);
            }
            case 3 -> { return mutateNumber(src, r); }
            case 4 -> t.set(k, nest(r));
            case 5 -> t.add(k, ODD[r.nextInt(ODD.length)]);
            case 6 -> t.add(k, longRun(r));
            case 7 -> t.set(k, new String[] {"NaN", "Infinity", "inf", "nan", "Inf", "e", "pi"}[r.nextInt(7)]);
            case 8 -> t.add(k, new String[] {"/* c */", "/* 𝛍 😀 */", "// 😀\n", "/*", "*/", "\n", ";", "1:n", "0..n-1",
                "for i in 1..n", "[", "]", "(", ")", ",", "~", "=", "^", "-", "q(", "data", "const", "model"}[r.nextInt(23)]);
            case 9 -> {
                int j = Math.min(t.size(), k + 1 + r.nextInt(8));
                t.subList(k, j).clear();
            }
            case 10 -> t.add(k, t.get(pickNonSpace(t, r)));
            default -> {
                String tok = t.get(k);
                if (tok.length() > 1) t.set(k, tok.substring(0, r.nextInt(tok.length())) + tok.substring(r.nextInt(tok.length())));
                else t.set(k, "");
            }
        }
        return String.join("", t);
    }

    private static String nest(SplittableRandom r) {
        int[] depths = {10, 100, 199, 200, 201, 202, 1000, 5000, 20000};
        int d = depths[r.nextInt(depths.length)];
        StringBuilder b = new StringBuilder();
        switch (r.nextInt(5)) {
            case 0 -> { b.append("(".repeat(d)).append('1').append(")".repeat(d)); }
            case 1 -> { b.append("-".repeat(d)).append('1'); }
            case 2 -> { b.append('1'); b.append("^1".repeat(d)); }
            case 3 -> { b.append('1'); b.append("+1".repeat(d)); }
            default -> { b.append("[".repeat(d)).append('1').append("]".repeat(d)); }
        }
        return b.toString();
    }

    private static String longRun(SplittableRandom r) {
        int[] lens = {121, 500, 5000, 20000, 100000};
        int n = lens[r.nextInt(lens.length)];
        String unit = new String[] {"#", "1+", "x", " ", "😀", "é", "\u0000", "/"}[r.nextInt(8)];
        return unit.repeat(Math.max(1, n / unit.length()));
    }

    static String mutateNumber(String src, SplittableRandom r) {
        Matcher m = NUMBER.matcher(src);
        List<int[]> spans = new ArrayList<>();
        while (m.find()) spans.add(new int[] {m.start(), m.end()});
        if (spans.isEmpty()) return src;
        int[] s = spans.get(r.nextInt(spans.size()));
        String repl = EXTREME[r.nextInt(EXTREME.length)];
        return src.substring(0, s[0]) + repl + src.substring(s[1]);
    }

    // ---- data ----

    private static void dataCase(String src, SplittableRandom r, Map<String, String> files, List<String> args) {
        Matcher dm = DATA.matcher(src);
        if (!dm.find()) return;
        String name = dm.group(1);
        int dims = dm.group(2).contains(",") ? 2 : 1;
        int n = new int[] {0, 1, 2, 3, 5, 10, 50, 200}[r.nextInt(8)];
        int shape = r.nextInt(12);
        StringBuilder b = new StringBuilder();
        int cols = dims;
        if (shape == 0) cols = dims == 1 ? 2 : 1;      // wrong number of columns
        if (shape == 1) cols = 3;
        boolean header = shape != 2;
        if (header) {
            for (int c = 0; c < cols; c++) b.append(c > 0 ? "," : "").append(dims == 1 && cols == 1 ? name : "x" + (c + 1));
            b.append('\n');
        }
        double big = new double[] {1e154, 1e155, 1e200, 1e300, 1.7e308, 1e-300, 4.9e-324, 1e100, 1e15, 1e9}[r.nextInt(10)];
        double constant = new double[] {0, 1, -5, 1e10}[r.nextInt(4)];
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < cols; c++) {
                if (c > 0) b.append(shape == 3 ? "\t" : ",");
                String v;
                switch (shape) {
                    case 4 -> v = Double.toString(constant);
                    case 5 -> v = Double.toString((r.nextBoolean() ? 1 : -1) * big * r.nextDouble());
                    case 6 -> v = i == 0 ? Double.toString(big) : Double.toString(r.nextGaussian());
                    case 7 -> v = new String[] {"NaN", "Inf", "", "abc", "1e400", "-0", "2", "0x1", "1,5"}[r.nextInt(9)];
                    case 8 -> v = Integer.toString(r.nextInt(3) - 1);           // -1, 0, 1: Bernoulli/Poisson edge
                    case 9 -> v = Long.toString(r.nextLong(1L << 40));           // huge counts
                    default -> v = Double.toString(r.nextGaussian() * 3 + (i % 3) * 5);
                }
                b.append(v);
            }
            b.append('\n');
        }
        files.put("gen.csv", b.toString());
        args.add("--data");
        args.add(name + "=@DIR@/gen.csv");
    }

    // ---- options ----

    private static void optionsCase(String src, SplittableRandom r, List<String> args) {
        List<String> consts = new ArrayList<>();
        Matcher cm = CONST.matcher(src);
        while (cm.find()) consts.add(cm.group(1));
        List<String> latents = new ArrayList<>();
        Matcher lm = LATENT.matcher(src);
        while (lm.find()) latents.add(lm.group(1));
        int n = 1 + r.nextInt(3);
        for (int k = 0; k < n; k++) {
            int o = r.nextInt(8);
            switch (o) {
                case 0, 1, 2 -> {
                    String name = !consts.isEmpty() && r.nextInt(4) > 0 ? consts.get(r.nextInt(consts.size()))
                            : !latents.isEmpty() && r.nextBoolean() ? latents.get(r.nextInt(latents.size())) : "zz";
                    args.add("--set");
                    args.add(name + "=" + setValue(r));
                }
                case 3 -> { args.add("--max-iter"); args.add(new String[] {"0", "1", "2", "-1", "5", "100", "x"}[r.nextInt(7)]); }
                case 4 -> { args.add("--tol"); args.add(new String[] {"0", "-1", "1e-300", "1", "1e300", "NaN", "Infinity", "1e-20"}[r.nextInt(8)]); }
                case 5 -> { args.add("--restarts"); args.add(new String[] {"0", "1", "-1", "3", "50"}[r.nextInt(5)]); }
                case 6 -> { args.add("--threads"); args.add(new String[] {"0", "1", "2", "-1", "64", "1000"}[r.nextInt(6)]); }
                default -> {
                    if (r.nextBoolean()) { args.add("--seed"); args.add(new String[] {"0", "-1", "9223372036854775807", "x"}[r.nextInt(4)]); }
                    else { args.add("--n"); args.add(new String[] {"0", "1", "2", "-5", "1000"}[r.nextInt(5)]); }
                }
            }
        }
        // options that only some commands take are harmless: picocli refuses them with exit 2
    }

    private static String setValue(SplittableRandom r) {
        String x = EXTREME[r.nextInt(EXTREME.length)];
        return switch (r.nextInt(8)) {
            case 0 -> "[" + x + "," + EXTREME[r.nextInt(EXTREME.length)] + "]";
            case 1 -> "[[" + x + ",0],[0,1]]";
            case 2 -> "[[1," + x + "],[" + x + ",1]]";
            case 3 -> x + "*eye(2)";
            case 4 -> "rep([1,2,3]," + x + ")";
            case 5 -> "sqrt(" + x + ")";
            default -> x;
        };
    }
}
