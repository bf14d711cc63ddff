package org.cavi.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;
import org.cavi.infer.FitOptions;
import org.cavi.infer.FitResult;
import org.cavi.plan.GaussianMixture;

/** The text and JSON forms of a fit. */
public final class FitReport {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private FitReport() {}

    public static String sweepLine(int sweep, double elbo) {
        return String.format(Locale.ROOT, "%6d  %.6f", sweep, elbo);
    }

    public static String traceText(FitResult r) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "%6s  %s%n", "sweep", "ELBO"));
        double[] t = r.trace();
        for (int i = 0; i < t.length; i++) out.append(sweepLine(i + 1, t[i])).append('\n');
        return out.toString();
    }

    /** The components sorted by posterior mean: E[mu], sd, weight. */
    public static String componentTable(GaussianMixture gm, double[] means, double[] sds, double[] weights) {
        StringBuilder out = new StringBuilder();
        String mu = gm.means();
        out.append(String.format(Locale.ROOT, "%9s  %12s  %10s  %8s%n", "component", "E[" + mu + "]", "sd", "weight"));
        for (int j = 0; j < means.length; j++) {
            out.append(String.format(Locale.ROOT, "%9d  %12.6f  %10.6f  %8.6f%n", j + 1, means[j], sds[j], weights[j]));
        }
        return out.toString();
    }

    public static String summary(FitResult r, FitOptions o) {
        String how = r.cancelled() ? "cancelled"
                : r.converged() ? "converged after " + r.iterations() + " sweeps"
                : "did not converge: stopped at the maximum of " + o.maxIter() + " sweeps";
        return String.format(Locale.ROOT, "%s (tol %s); best ELBO %.6f of %d restart%s, %d sweeps in %.3f s%n",
                how, new java.math.BigDecimal(Double.toString(o.tol())).stripTrailingZeros().toString().toLowerCase(Locale.ROOT), r.elbo(), r.restarts(), r.restarts() == 1 ? "" : "s", r.sweeps(), r.seconds());
    }

    public static String text(FitResult r, GaussianMixture gm, FitOptions o) {
        return "model " + r.model() + ": n = " + r.n() + ", K = " + r.k() + ", seed " + o.seed() + "\n"
                + traceText(r) + "\n" + componentTable(gm, r.means(), r.sds(), r.weights()) + "\n" + summary(r, o);
    }

    public static ObjectNode json(FitResult r, GaussianMixture gm, FitOptions o) {
        ObjectNode root = JSON.createObjectNode();
        root.put("model", r.model());
        root.put("n", r.n());
        root.put("K", r.k());
        root.put("elbo", r.elbo());
        root.put("iterations", r.iterations());
        root.put("converged", r.converged());
        root.put("restarts", r.restarts());
        root.put("sweeps", r.sweeps());
        root.put("seconds", r.seconds());
        root.put("seed", o.seed());
        root.put("tol", o.tol());
        root.put("max_iter", o.maxIter());
        root.put("cancelled", r.cancelled());
        array(root.putArray("elbo_trace"), r.trace());
        ObjectNode q = root.putObject("q");
        ObjectNode mu = q.putObject(gm.means());
        if (r.meansFixed()) {
            mu.put("family", "PointMass");
            array(mu.putArray("value"), r.means());
        } else {
            mu.put("family", "Normal");
            array(mu.putArray("mean"), r.means());
            array(mu.putArray("sd"), r.sds());
        }
        ObjectNode c = q.putObject(gm.assignments());
        c.put("family", "Categorical");
        array(c.putArray("weights"), r.weights());
        return root;
    }

    public static String jsonText(FitResult r, GaussianMixture gm, FitOptions o) {
        try {
            return JSON.writeValueAsString(json(r, gm, o)) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void array(ArrayNode a, double[] xs) {
        for (double x : xs) a.add(x);
    }
}
