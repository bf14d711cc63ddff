package org.cavi.driver;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.cavi.infer.FitOptions;
import org.cavi.plan.CaviPlan;

/**
 * Choosing the number of components: the model fitted at each K (a --set of its constant), with
 * restarts, keeping each restart's final ELBO. Because cavi's ELBO keeps every constant, the
 * ELBOs of different K are bounds on the log evidence of different models, and can be compared.
 */
public final class Selection {
    private Selection() {}

    /**
     * One K's fits.
     *
     * @param restartElbos each restart's final ELBO, in restart order
     * @param weighted     the components whose weight (the mean of phi) is above 1%
     */
    public record Row(int k, double bestElbo, double[] restartElbos, int weighted, FitService.Fit best) {}

    /** Fits {@code req}'s model with {@code constant} set to each of {@code ks}; the first problem ends it. */
    public static Outcome<List<Row>> run(Driver.Request req, String constant, List<Integer> ks, FitOptions options, Path workingDir) {
        Outcome<Driver.Compiled> asWritten = Driver.compile(req);
        if (!asWritten.ok()) return Outcome.fail(asWritten.problem().orElseThrow());
        boolean declared = asWritten.get().program().statements().stream()
                .anyMatch(s -> s instanceof org.cavi.ast.Stmt.ConstDecl c && c.name().equals(constant));
        if (asWritten.get().plan().mixture().selector().isEmpty()) return Outcome.fail(notAMixture(asWritten.get().plan()));
        if (!declared) {
            return Outcome.fail(new Problem.BadUsage("cavi select sets the constant " + constant + ", and the model has no constant "
                    + "named '" + constant + "'; name the constant that counts the components with --constant NAME"));
        }
        List<Row> rows = new ArrayList<>();
        for (int k : ks) {
            List<String> sets = new ArrayList<>(req.sets());
            sets.add(constant + "=" + k);
            Driver.Request atK = new Driver.Request(req.source(), req.baseDir(), req.data(), sets, req.requireData(), req.format());
            Outcome<Driver.Compiled> compiled = Driver.compile(atK);
            if (!compiled.ok()) return Outcome.fail(compiled.problem().orElseThrow());
            CaviPlan plan = compiled.get().plan();
            if (plan.mixture().selector().isEmpty()) return Outcome.fail(notAMixture(plan));
            if (plan.mixture().k() != k) {
                return Outcome.fail(new Problem.BadUsage("--K sets the constant " + constant + ", but the model's components number "
                        + plan.mixture().k() + " at " + constant + " = " + k + "; give the constant that counts them with --constant NAME"));
            }
            Outcome<FitService.Prepared> prepared = FitService.prepare(compiled.get(), atK, workingDir);
            if (!prepared.ok()) return Outcome.fail(prepared.problem().orElseThrow());
            double[] finals = new double[options.restarts()];
            int[] run = {0};
            Outcome<FitService.Fit> fit = FitService.fit(prepared.get(), options, () -> false, (restart, restarts, sweep, elbo) -> {
                finals[restart - 1] = elbo;
                run[0] = Math.max(run[0], restart);
            });
            if (!fit.ok()) return Outcome.fail(fit.problem().orElseThrow());
            double[] weights = fit.get().result().weights();
            int weighted = 0;
            for (double w : weights) if (w > 0.01) weighted++;
            rows.add(new Row(k, fit.get().result().elbo(), java.util.Arrays.copyOf(finals, run[0]), weighted, fit.get()));
        }
        return Outcome.ok(rows, List.of());
    }

    private static Problem notAMixture(CaviPlan plan) {
        return new Problem.BadUsage("cavi select chooses the number of components of a mixture; "
                + plan.model() + " has no assignments (no Categorical)");
    }

    /** "1..10", "2,3,5" or "4": the K to try, each at least 1 and at most {@code most}. */
    public static Outcome<List<Integer>> parseKs(String text, int most) {
        List<Integer> ks = new ArrayList<>();
        try {
            for (String part : text.split(",", -1)) {
                String p = part.trim();
                int dots = p.indexOf("..");
                if (dots >= 0) {
                    int lo = Integer.parseInt(p.substring(0, dots).trim()), hi = Integer.parseInt(p.substring(dots + 2).trim());
                    if (hi < lo) return bad(text, "the range " + p + " is empty");
                    if ((long) hi - lo >= most) return bad(text, "at most " + most + " values of K");
                    for (int k = lo; k <= hi; k++) ks.add(k);
                } else {
                    ks.add(Integer.parseInt(p));
                }
            }
        } catch (NumberFormatException e) {
            return bad(text, "give whole numbers as 1..10, 2,3,5 or 4");
        }
        for (int k : ks) if (k < 1 || k > 1000) return bad(text, "each K must be from 1 to 1000, not " + k);
        if (ks.size() > most) return bad(text, "at most " + most + " values of K");
        if (ks.stream().distinct().count() != ks.size()) return bad(text, "a K is given twice");
        return Outcome.ok(ks, List.of());
    }

    private static Outcome<List<Integer>> bad(String text, String why) {
        return Outcome.fail(new Problem.BadUsage("--K " + text + ": " + why));
    }
}
