package org.cavi.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.cavi.family.Posterior;
import org.cavi.infer.FitOptions;
import org.cavi.infer.FitResult;
import org.cavi.plan.Mixture;

/** The text and JSON forms of a fit. */
public final class FitReport {
    /** Made on first use: a text report need not load Jackson's few hundred classes. */
    private static final class Json {
        static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    }

    private FitReport() {}

    public static String sweepLine(int sweep, double elbo) {
        return String.format(Locale.ROOT, "%6d  %.6f", sweep, elbo);
    }

    /**
     * The ELBO term by term after each sweep: a column per term, named as the plan names it, and
     * the ELBO, their sum; the last row says how much each term moved over the sweeps.
     */
    public static String termsTable(List<java.util.Map<String, Double>> terms, List<Double> elbo) {
        if (terms.isEmpty()) return "";
        List<String> names = new ArrayList<>(terms.get(0).keySet());
        int[] widths = new int[names.size()];
        for (int c = 0; c < names.size(); c++) widths[c] = Math.max(14, names.get(c).length());
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "%6s  %16s", "sweep", "ELBO"));
        for (int c = 0; c < names.size(); c++) out.append("  ").append(pad(names.get(c), widths[c]));
        out.append('\n');
        for (int t = 0; t < terms.size(); t++) {
            out.append(String.format(Locale.ROOT, "%6d  %16.6f", t + 1, elbo.get(t)));
            for (int c = 0; c < names.size(); c++) {
                out.append("  ").append(pad(String.format(Locale.ROOT, "%.6f", terms.get(t).get(names.get(c))), widths[c]));
            }
            out.append('\n');
        }
        if (terms.size() > 1) {
            out.append(String.format(Locale.ROOT, "%6s  %+16.6f", "change", elbo.get(terms.size() - 1) - elbo.get(0)));
            for (int c = 0; c < names.size(); c++) {
                double moved = terms.get(terms.size() - 1).get(names.get(c)) - terms.get(0).get(names.get(c));
                out.append("  ").append(pad(String.format(Locale.ROOT, "%+.6f", moved), widths[c]));
            }
            out.append('\n');
        }
        return out.toString();
    }

    /**
     * Which update of a sweep moved which ELBO term, and by how much: a line per update (q(c) by
     * the pass, then the plan's), each term it changed with its change. {@code previous} is the
     * last sweep's terms, what the first update starts from; without it the first update is
     * given as where the terms stand.
     */
    public static String updateChanges(List<List<String>> updates, List<java.util.Map<String, Double>> after,
                                       java.util.Map<String, Double> previous) {
        if (updates.isEmpty()) return "";
        StringBuilder out = new StringBuilder("what each update changed in the ELBO's terms:\n");
        java.util.Map<String, Double> before = previous;
        for (int u = 0; u < updates.size(); u++) {
            java.util.Map<String, Double> now = after.get(u);
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "  %-18s", "q(" + String.join(", ", updates.get(u)) + ")"));
            if (before == null) {
                line.append(" (the first sweep: nothing before it to compare with)");
            } else {
                double total = 0;
                boolean any = false;
                for (var e : now.entrySet()) {
                    double change = e.getValue() - before.getOrDefault(e.getKey(), e.getValue());
                    // a term the update did not touch moves by rounding at most
                    if (Math.abs(change) <= 1e-12 * Math.max(1, Math.abs(e.getValue()))) continue;
                    line.append(any ? ", " : " ").append(e.getKey()).append(String.format(Locale.ROOT, " %+.6f", change));
                    total += change;
                    any = true;
                }
                line.append(any ? String.format(Locale.ROOT, "; ELBO %+.6f", total) : " no term moved");
            }
            out.append(line).append('\n');
            before = now;
        }
        return out.toString();
    }

    public static String traceText(FitResult r) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "%6s  %s%n", "sweep", "ELBO"));
        double[] t = r.trace();
        for (int i = 0; i < t.length; i++) out.append(sweepLine(i + 1, t[i])).append('\n');
        return out.toString();
    }

    /**
     * The components in order: the posterior mean (and sd) of each per-component latent,
     * then the weight, the mean of phi over the data.
     */
    public static String componentTable(Mixture mix, Posterior q, double[] weights) {
        List<String> headers = new ArrayList<>();
        List<String[]> columns = new ArrayList<>();
        for (Posterior.Block b : q.blocks()) {
            for (var f : b.fields().entrySet()) {
                String[] cells = cells(f.getValue(), mix.k());
                if (cells == null) continue;
                String h = switch (f.getKey()) {
                    case "mean" -> "E[" + b.latent() + "]";
                    case "sd" -> "sd[" + b.latent() + "]";
                    case "value" -> b.latent();
                    default -> null;
                };
                if (h == null) continue;
                headers.add(h);
                columns.add(cells);
            }
        }
        if (mix.selector().isPresent()) {
            headers.add("weight");
            columns.add(cells(weights, mix.k()));
        }
        int[] widths = new int[columns.size()];
        for (int c = 0; c < columns.size(); c++) {
            widths[c] = Math.max(12, headers.get(c).length());
            for (String cell : columns.get(c)) widths[c] = Math.max(widths[c], cell.length());
        }
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "%9s", "component"));
        for (int c = 0; c < headers.size(); c++) out.append("  ").append(pad(headers.get(c), widths[c]));
        out.append('\n');
        for (int j = 0; j < mix.k(); j++) {
            out.append(String.format(Locale.ROOT, "%9d", j + 1));
            for (int c = 0; c < columns.size(); c++) out.append("  ").append(pad(columns.get(c)[j], widths[c]));
            out.append('\n');
        }
        return out.toString();
    }

    /**
     * The components (in the order of their new key) with each displayed parameter as old → new,
     * and the weight, the mean of phi; before the first sweep there is no old weight.
     */
    public static String changeTable(Mixture mix, Posterior before, Posterior after, double[] key, double[] weightsBefore,
                                     double[] weightsAfter) {
        int k = mix.k();
        Integer[] order = new Integer[k];
        for (int j = 0; j < k; j++) order[j] = j;
        java.util.Arrays.sort(order, java.util.Comparator.comparingDouble(j -> key[j]));
        List<String> headers = new ArrayList<>();
        List<String[]> columns = new ArrayList<>();
        for (Posterior.Block b : after.blocks()) {
            Posterior.Block old = before.block(b.latent());
            for (var f : b.fields().entrySet()) {
                String h = switch (f.getKey()) {
                    case "mean" -> "E[" + b.latent() + "]";
                    case "sd" -> "sd[" + b.latent() + "]";
                    default -> null;
                };
                String[] now = cells(f.getValue(), k), then = cells(old.fields().get(f.getKey()), k);
                if (h == null || now == null || then == null) continue;
                String[] col = new String[k];
                for (int j = 0; j < k; j++) col[j] = then[order[j]] + " → " + now[order[j]];
                headers.add(h);
                columns.add(col);
            }
        }
        if (mix.selector().isPresent()) {
            String[] now = cells(weightsAfter, k);
            String[] then = weightsBefore == null ? null : cells(weightsBefore, k);
            String[] col = new String[k];
            for (int j = 0; j < k; j++) col[j] = (then == null ? "" : then[order[j]] + " → ") + now[order[j]];
            headers.add("weight");
            columns.add(col);
        }
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "%9s", "component"));
        int[] widths = new int[columns.size()];
        for (int c = 0; c < columns.size(); c++) {
            widths[c] = headers.get(c).length();
            for (String cell : columns.get(c)) widths[c] = Math.max(widths[c], cell.length());
            out.append("  ").append(pad(headers.get(c), widths[c]));
        }
        out.append('\n');
        for (int j = 0; j < k; j++) {
            out.append(String.format(Locale.ROOT, "%9d", j + 1));
            for (int c = 0; c < columns.size(); c++) out.append("  ").append(pad(columns.get(c)[j], widths[c]));
            out.append('\n');
        }
        return out.toString();
    }

    /** Right-aligned in w characters; left-aligned in −w. */
    private static String pad(String s, int w) {
        return w < 0 ? s + " ".repeat(Math.max(0, -w - s.length())) : " ".repeat(Math.max(0, w - s.length())) + s;
    }

    /** One cell per component: a number, or a vector as (a, b, ...); null for anything else. */
    private static String[] cells(Object v, int k) {
        if (v instanceof double[] a && a.length == k) {
            String[] out = new String[k];
            for (int j = 0; j < k; j++) out[j] = String.format(Locale.ROOT, "%.6f", a[j]);
            return out;
        }
        if (v instanceof double[][] a && a.length == k) {
            String[] out = new String[k];
            for (int j = 0; j < k; j++) {
                StringBuilder s = new StringBuilder("(");
                for (int d = 0; d < a[j].length; d++) {
                    if (d > 0) s.append(", ");
                    if (d == 4 && a[j].length > 5) { s.append("…"); break; }
                    s.append(String.format(Locale.ROOT, "%.4f", a[j][d]));
                }
                out[j] = s.append(')').toString();
            }
            return out;
        }
        if (v instanceof double[][][] a && a.length == k) {
            String[] out = new String[k];
            for (int j = 0; j < k; j++) {
                StringBuilder s = new StringBuilder("[");
                for (int r = 0; r < a[j].length; r++) {
                    s.append(r > 0 ? "; " : "");
                    for (int c = 0; c < a[j][r].length; c++) {
                        s.append(c > 0 ? ", " : "").append(String.format(Locale.ROOT, "%.4f", a[j][r][c]));
                    }
                }
                out[j] = s.append(']').toString();
            }
            return out;
        }
        return null;
    }

    public static String summary(FitResult r, FitOptions o) {
        String how = r.cancelled() ? "cancelled"
                : r.stop() == FitResult.Stop.ROUNDING_LIMIT
                        ? "converged at the rounding limit after " + org.cavi.source.Plural.of(r.iterations(), "sweep")
                : r.converged() ? "converged after " + org.cavi.source.Plural.of(r.iterations(), "sweep")
                : "did not converge: stopped at the maximum of " + org.cavi.source.Plural.of(o.maxIter(), "sweep");
        String tol = new java.math.BigDecimal(Double.toString(o.tol())).stripTrailingZeros().toString().toLowerCase(Locale.ROOT);
        if (r.restarts() == 1) {
            return String.format(Locale.ROOT, "%s (tol %s); ELBO %.6f in %.3f s%n", how, tol, r.elbo(), r.seconds());
        }
        return String.format(Locale.ROOT, "%s (tol %s); best ELBO %.6f of %d restarts, %d sweeps in %.3f s%n",
                how, tol, r.elbo(), r.restarts(), r.sweeps(), r.seconds());
    }

    /** The report `cavi run` and the REPL's :run print: JSON, or the text form. */
    public static String of(FitResult r, Mixture mix, FitOptions o, double loadSeconds, boolean json) {
        return json ? jsonText(r, mix, o, loadSeconds) : text(r, mix, o);
    }

    public static String text(FitResult r, Mixture mix, FitOptions o) {
        boolean mixture = mix.selector().isPresent();
        return "model " + r.model() + ": n = " + r.n() + (mixture ? ", K = " + r.k() : "") + ", seed " + o.seed() + "\n"
                + traceText(r) + "\n" + (mixture ? componentTable(mix, r.q(), r.weights()) + effectiveComponents(r, mix) + "\n" : "")
                + posteriorText(mix, r.q()) + "\n" + summary(r, o) + "ELBO " + sparkline(r.trace()) + "\n";
    }

    /** What a field of a q is called in the text: its parameters by name, and these. */
    private static String fieldTitle(String field, String latent) {
        return switch (field) {
            case "mean" -> "E[" + latent + "]";
            case "lower" -> "2.5%";
            case "upper" -> "97.5%";
            case "covariance" -> "inv(E[" + latent + "])";
            case "variance" -> "1/E[" + latent + "]";
            default -> field;
        };
    }

    /** Fields the text leaves to the JSON: matrices it shows otherwise, or that say less than another field. */
    private static boolean textShows(String field, Object v, int dimension) {
        if (field.equals("W") || field.equals("expected_precision")) return false; // covariance says it
        return !(v instanceof double[][][]) || dimension <= 3;
    }

    /**
     * q in full, a block per factor: its family with its parameters, the mean, the central 95%
     * interval of each marginal, and for a precision the variance or covariance it implies. A
     * mixture's blocks are tables with a row per component; a model without assignments gets a
     * line per latent.
     */
    public static String posteriorText(Mixture mix, Posterior q) {
        boolean mixture = mix.selector().isPresent();
        StringBuilder out = new StringBuilder("posterior: each q, its mean (E[..]) and the central 95% interval of its marginal\n");
        int nameWidth = q.blocks().stream().mapToInt(b -> b.latent().length()).max().orElse(1) + 3;
        int familyWidth = q.blocks().stream().mapToInt(b -> b.family().length()).max().orElse(1);
        for (Posterior.Block b : q.blocks()) {
            String family = b.family().equals("PointMass") ? "fixed" : b.family();
            List<String> headers = new ArrayList<>();
            List<String[]> columns = new ArrayList<>();
            for (var f : b.fields().entrySet()) {
                if (!textShows(f.getKey(), f.getValue(), mix.dimension())) continue;
                String[] cells = cells(f.getValue(), mix.k());
                if (cells == null) continue;
                headers.add(fieldTitle(f.getKey(), b.latent()));
                columns.add(cells);
            }
            String note = b.fields().containsKey("variance") ? "; 1/E[" + b.latent() + "] is the component's variance"
                    : b.fields().containsKey("covariance") ? "; inv(E[" + b.latent() + "]) is the component's covariance"
                    : b.family().startsWith("Normal given") || b.family().startsWith("MvNormal given")
                            ? "; the interval is of its marginal, a Student-t" : "";
            if (!mixture) {
                out.append(pad("q(" + b.latent() + ")", -nameWidth)).append(' ').append(pad(family, -familyWidth));
                for (int c = 0; c < headers.size(); c++) {
                    String h = headers.get(c);
                    if (h.equals("97.5%")) continue;
                    if (h.equals("2.5%")) {
                        out.append("  95% interval [").append(columns.get(c)[0]).append(", ")
                                .append(columns.get(headers.indexOf("97.5%"))[0]).append(']');
                    } else {
                        out.append("  ").append(h).append(" = ").append(columns.get(c)[0]);
                    }
                }
                out.append('\n');
                continue;
            }
            out.append("q(").append(b.latent()).append("): ").append(family).append(note).append('\n');
            out.append(table(headers, columns, mix.k()));
        }
        return out.toString();
    }

    /** A table with a row per component. */
    private static String table(List<String> headers, List<String[]> columns, int k) {
        int[] widths = new int[columns.size()];
        for (int c = 0; c < columns.size(); c++) {
            widths[c] = Math.max(12, headers.get(c).length());
            for (String cell : columns.get(c)) widths[c] = Math.max(widths[c], cell.length());
        }
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "%9s", "component"));
        for (int c = 0; c < headers.size(); c++) out.append("  ").append(pad(headers.get(c), widths[c]));
        out.append('\n');
        for (int j = 0; j < k; j++) {
            out.append(String.format(Locale.ROOT, "%9d", j + 1));
            for (int c = 0; c < columns.size(); c++) out.append("  ").append(pad(columns.get(c)[j], widths[c]));
            out.append('\n');
        }
        return out.toString();
    }

    /** For stick-breaking weights: how many components carry E[pi[k]] above 1%. */
    public static String effectiveComponents(FitResult r, Mixture mix) {
        if (!(mix.weights() instanceof Mixture.Weights.StickBreaking sb)) return "";
        double[] mean = r.q().block(sb.name()).field("mean");
        long used = java.util.Arrays.stream(mean).filter(w -> w > 0.01).count();
        double total = java.util.Arrays.stream(mean).sum();
        return String.format(Locale.ROOT, "effective components: %d of %d (E[%s[k]] above 1%%); mass past the truncation %.3g%n",
                used, mix.k(), sb.name(), 1 - total);
    }

    /** The trace as one line of block characters, lowest ▁ to highest █; at most 60 of them. */
    public static String sparkline(double[] t) {
        if (t.length == 0) return "";
        String bars = "▁▂▃▄▅▆▇█";
        int width = Math.min(60, t.length);
        double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
        for (double v : t) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
        StringBuilder out = new StringBuilder();
        for (int c = 0; c < width; c++) {
            double v = t[(int) ((long) c * (t.length - 1) / Math.max(1, width - 1))];
            int b = hi > lo ? (int) Math.round((v - lo) / (hi - lo) * 7) : 7;
            out.append(bars.charAt(b));
        }
        return out.append(String.format(Locale.ROOT, "  %.6f → %.6f over %d sweep%s", t[0], t[t.length - 1], t.length,
                t.length == 1 ? "" : "s")).toString();
    }

    public static ObjectNode json(FitResult r, Mixture mix, FitOptions o, double loadSeconds) {
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("model", r.model());
        root.put("n", r.n());
        root.put("K", r.k());
        root.put("elbo", r.elbo());
        root.put("iterations", r.iterations());
        root.put("converged", r.converged());
        root.put("stop", r.stop().text());
        root.put("restarts", r.restarts());
        root.put("sweeps", r.sweeps());
        root.put("seconds", r.seconds());
        root.put("load_seconds", loadSeconds);
        root.put("threads", o.threads());
        root.put("seed", o.seed());
        root.put("tol", o.tol());
        root.put("max_iter", o.maxIter());
        root.put("cancelled", r.cancelled());
        array(root.putArray("elbo_trace"), r.trace());
        ObjectNode q = root.putObject("q");
        for (Posterior.Block b : r.q().blocks()) {
            ObjectNode node = q.putObject(b.latent());
            node.put("family", b.family());
            b.fields().forEach((name, v) -> node.set(name, Json.MAPPER.valueToTree(v)));
        }
        mix.selector().ifPresent(c -> {
            ObjectNode node = q.putObject(c);
            node.put("family", "Categorical");
            array(node.putArray("weights"), r.weights());
        });
        return root;
    }

    /**
     * The JSON document. A NaN or infinity in it is a bug (the fit service refuses a fit that is not
     * finite), and JSON has no such numbers: it is an internal error here, never a "NaN" string out.
     */
    public static String jsonText(FitResult r, Mixture mix, FitOptions o, double loadSeconds) {
        ObjectNode root = json(r, mix, o, loadSeconds);
        nonFinite(root, "").ifPresent(path -> {
            throw new IllegalStateException("the JSON report would hold a number that is not finite at " + path);
        });
        try {
            return Json.MAPPER.writeValueAsString(root) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The path of the first NaN or infinity in the tree, if any. */
    static java.util.Optional<String> nonFinite(com.fasterxml.jackson.databind.JsonNode node, String path) {
        if (node.isNumber()) return Double.isFinite(node.doubleValue()) ? java.util.Optional.empty() : java.util.Optional.of(path);
        if (node.isObject()) {
            for (var it = node.fields(); it.hasNext(); ) {
                var e = it.next();
                var found = nonFinite(e.getValue(), path + "/" + e.getKey());
                if (found.isPresent()) return found;
            }
        }
        if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                var found = nonFinite(node.get(i), path + "/" + i);
                if (found.isPresent()) return found;
            }
        }
        return java.util.Optional.empty();
    }

    private static void array(ArrayNode a, double[] xs) {
        for (double x : xs) a.add(x);
    }
}
