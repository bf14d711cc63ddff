package org.cavi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.cavi.PlanFormula.V;
import org.cavi.check.Value;
import org.cavi.data.Points;
import org.cavi.driver.Driver;
import org.cavi.family.Posterior;
import org.cavi.infer.CaviState;
import org.cavi.infer.Fitter;
import org.cavi.infer.Parallel;
import org.cavi.plan.CaviPlan;
import org.cavi.source.SourceFile;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * One sweep of every mixture in models/ is the printed plan's arithmetic, line by line: from
 * the q after sweep t (the runtime's), φ is computed from the printed φ line (its exponent
 * evaluated for each i and k, then normalised), the sums from the printed N[k], S[k] lines, and
 * each printed update in the printed order; every parameter so computed must equal the runtime's
 * q after sweep t + 1 to 1e-10 (relative, or absolute below 1), and the printed ELBO terms,
 * evaluated at that φ and q, must sum to the ELBO the runtime returns for sweep t + 1 to 1e-10
 * relative. The q after sweep t is not a fixed point, so an update is checked exactly, not to
 * the square root of the ELBO's precision.
 */
class MixtureArithmeticTest {
    static final double TOL = 1e-10;

    /**
     * Mixtures not in models/: the one-dimensional stick-breaking weights; Bishop's mixture with the mean-field
     * q(mu[k])q(Lambda[k]) instead of the joint factor; a Wishart mixture whose means have a prior of their own
     * covariance.
     */
    static final Map<String, String> STRINGS = Map.of(
            "stick-1d", """
                    model StickNormal
                    const K = 5
                    const alpha = 2
                    data x[n] from "data/gmm-seed.csv"
                    pi    ~ StickBreaking(alpha, K)
                    mu[k] ~ Normal(0, 100)    for k in 1..K
                    c[i]  ~ Categorical(pi)   for i in 1..n
                    x[i]  ~ Normal(mu[c[i]], 1) for i in 1..n
                    """,
            "stick-exponential", """
                    model StickExponential
                    const K = 4
                    data x[n] from "data/waiting-times.csv"
                    pi        ~ StickBreaking(1.5, K)
                    lambda[k] ~ Gamma(2, 1)     for k in 1..K
                    c[i]      ~ Categorical(pi)   for i in 1..n
                    x[i]      ~ Exponential(lambda[c[i]]) for i in 1..n
                    """,
            "wishart-mean-field", """
                    model MeanFieldWishart
                    const K = 4
                    const D = 2
                    const beta0 = 1
                    const nu0 = 3
                    const W0 = [[2, 0.5], [0.5, 1]]
                    data x[n, D] from "data/blobs2d.csv"
                    pi        ~ Dirichlet(0.5, K)
                    Lambda[k] ~ Wishart(nu0, W0)                            for k in 1..K
                    mu[k]     ~ MvNormal([1, -1], inv(beta0*Lambda[k]))     for k in 1..K
                    c[i]      ~ Categorical(pi)                             for i in 1..n
                    x[i]      ~ MvNormal(mu[c[i]], inv(Lambda[c[i]]))       for i in 1..n
                    """,
            "wishart-own-covariance", """
                    model WishartOwnCovariance
                    const K = 3
                    const D = 2
                    data x[n, D] from "data/blobs2d.csv"
                    pi        ~ Dirichlet(1, K)
                    Lambda[k] ~ Wishart(2, eye(D))                          for k in 1..K
                    mu[k]     ~ MvNormal(zeros(D), 100*eye(D))              for k in 1..K
                    c[i]      ~ Categorical(pi)                             for i in 1..n
                    x[i]      ~ MvNormal(mu[c[i]], inv(Lambda[c[i]]))       for i in 1..n
                    """);

    record Setup(Driver.Compiled compiled, Points points, double[][] rows) {}

    static Setup setup(String spec) throws Exception {
        String[] parts = spec.split("\\|");
        String name = parts[0];
        List<String> sets = new ArrayList<>(List.of(parts).subList(1, parts.length));
        Path base = Path.of("models");
        String text = STRINGS.containsKey(name) ? STRINGS.get(name) : Files.readString(base.resolve(name + ".vi"));
        Driver.Request req = new Driver.Request(new SourceFile(name + ".vi", text), base, Map.of(), sets, true);
        var c = Driver.compile(req);
        assertTrue(c.ok(), () -> c.problem().map(p -> p.render()).orElse(""));
        Points pts = Driver.loadData(c.get(), req, Path.of(".")).get();
        int d = 1;
        if (c.get().model().constants().get("D") instanceof Value.Scalar s && c.get().plan().mixture().components()
                instanceof org.cavi.plan.Mixture.Components.MvNormal) d = (int) s.value();
        double[] flat = pts.rows(d, Integer.MAX_VALUE);
        double[][] rows = new double[flat.length / d][d];
        for (int i = 0; i < rows.length; i++) System.arraycopy(flat, i * d, rows[i], 0, d);
        return new Setup(c.get(), pts, rows);
    }

    private static final Pattern INDEXED = Pattern.compile("([A-Za-z_][A-Za-z_0-9]*'?)\\[");

    /**
     * Each printed parameter of q, by its symbol in the plan: the runtime's value per component.
     * The factor's printed parameters name the symbols in the order the runtime reports its fields.
     */
    static Map<String, V[]> qValues(CaviPlan plan, Posterior q, int k) {
        Map<String, V[]> out = new LinkedHashMap<>();
        for (CaviPlan.QFactor factor : plan.factors()) {
            String[] latents = factor.latent().split(",");
            String first = latents[0].strip().replaceAll("\\[.*", "");
            if (factor.family().equals("Categorical")) continue;
            List<String> latentNames = new ArrayList<>();
            for (String l : latents) latentNames.add(l.strip().replaceAll("\\[.*", ""));
            List<String> syms = new ArrayList<>();
            Matcher m = INDEXED.matcher(factor.parameters());
            while (m.find()) {
                String s = m.group(1);
                if (!latentNames.contains(s) && !List.of("v", "inv").contains(s) && !syms.contains(s)) syms.add(s);
            }
            Posterior.Block b = q.block(first);
            switch (factor.family()) {
                case "Normal" -> {
                    out.put(syms.get(0), vs(b.field("mean")));
                    double[] sd = b.field("sd");
                    for (int j = 0; j < sd.length; j++) sd[j] *= sd[j];
                    out.put(syms.get(1), vs(sd));
                }
                case "Gamma" -> {
                    boolean count = b.fields().containsKey("a");
                    out.put(syms.get(0), vs(b.field(count ? "a" : "shape")));
                    out.put(syms.get(1), vs(b.field(count ? "b" : "rate")));
                }
                case "Beta" -> {
                    out.put(syms.get(0), vs(b.field("a")));
                    out.put(syms.get(1), vs(b.field("b")));
                }
                case "Dirichlet" -> out.put(factor.parameters().strip(), vs(b.field("alpha")));
                case "StickBreaking" -> {
                    out.put(syms.get(0), vs(b.field("a")));
                    out.put(syms.get(1), vs(b.field("b")));
                }
                case "Normal-Gamma" -> {
                    Posterior.Block tau = q.block(latentNames.get(1));
                    out.put(syms.get(0), vs(b.field("mean")));
                    out.put(syms.get(1), vs(b.field("beta")));
                    out.put(syms.get(2), vs(tau.field("shape")));
                    out.put(syms.get(3), vs(tau.field("rate")));
                }
                case "MvNormal" -> {
                    out.put(syms.get(0), cols(b.vectors("mean")));
                    out.put(syms.get(1), mats(b.matrices("cov")));
                }
                case "Wishart" -> {
                    out.put(syms.get(0), vs(b.field("nu")));
                    out.put(syms.get(1), mats(b.matrices("W")));
                }
                case "Normal-Wishart" -> {
                    Posterior.Block lam = q.block(latentNames.get(1));
                    out.put(syms.get(0), cols(b.vectors("mean")));
                    out.put(syms.get(1), vs(b.field("beta")));
                    out.put(syms.get(2), vs(lam.field("nu")));
                    out.put(syms.get(3), mats(lam.matrices("W")));
                }
                default -> {
                    if (b.family().equals("PointMass")) {
                        Object v = b.fields().get("value");
                        String sym = factor.parameters().substring(0, factor.parameters().indexOf('['));   // m[k] = [..]
                        out.put(sym, v instanceof double[] a ? vs(a) : cols((double[][]) v));
                    } else {
                        throw new IllegalArgumentException(factor.family() + ": " + factor.parameters());
                    }
                }
            }
        }
        return out;
    }

    static V[] vs(double[] a) {
        V[] out = new V[a.length];
        for (int j = 0; j < a.length; j++) out[j] = V.of(a[j]);
        return out;
    }

    static V[] cols(double[][] a) {
        V[] out = new V[a.length];
        for (int j = 0; j < a.length; j++) out[j] = V.col(a[j]);
        return out;
    }

    static V[] mats(double[][][] a) {
        V[] out = new V[a.length];
        for (int j = 0; j < a.length; j++) out[j] = V.mat(a[j]);
        return out;
    }

    static PlanFormula formula(Setup s) {
        Driver.Compiled c = s.compiled();
        boolean mv = s.rows()[0].length > 1;
        PlanFormula f = mv ? new PlanFormula(s.rows()) : new PlanFormula(column(s.rows()));
        f.components(c.plan().mixture().k());
        c.model().constants().forEach((name, v) -> {
            if (v instanceof Value.Scalar sc) f.bind(name, sc.value());
            else if (v instanceof Value.Vec vec) f.bind(name, V.col(vec.elems()));
            else if (v instanceof Value.Mat mat) f.bind(name, V.mat(mat.rows()));
        });
        f.bind(c.plan().mixture().sizeName(), s.rows().length);
        for (CaviPlan.ElboTerm t : c.plan().elbo()) if (t.name().equals("where")) f.where(t.formula());
        return f;
    }

    static double[] column(double[][] rows) {
        double[] x = new double[rows.length];
        for (int i = 0; i < rows.length; i++) x[i] = rows[i][0];
        return x;
    }

    private static final Pattern PHI = Pattern.compile("(\\S+)\\[(\\w+),(\\w+)\\] ∝ exp\\( (.*) \\)   for .*");
    private static final Pattern FOR = Pattern.compile("   for \\w+ in 1\\.\\..*$");

    /** The report of one model: what was checked. */
    record Checked(int parameters, int terms) {}

    static Checked checkOneSweep(String spec, int warmup) throws Exception {
        Setup s = setup(spec);
        CaviPlan plan = s.compiled().plan();
        int k = plan.mixture().k();
        CaviState state = Fitter.start(plan.mixture(), s.points(), new SplittableRandom(7), Parallel.of(1));
        for (int t = 0; t < warmup; t++) state.sweep();
        Posterior before = state.posterior();
        double elbo = state.sweep();
        Posterior after = state.posterior();
        Map<String, V[]> q0 = qValues(plan, before, k), q1 = qValues(plan, after, k);

        PlanFormula f = formula(s);
        q0.forEach(f::bindArray);
        int checked = 0;
        for (CaviPlan.Update u : plan.updates()) {
            for (String line : u.equations()) {
                Matcher phi = PHI.matcher(line);
                if (phi.matches()) {
                    computePhi(f, phi.group(1), phi.group(2), phi.group(3), phi.group(4), k);
                    // the pass's sums: printed with the first update that reads them, computed by the pass
                    for (CaviPlan.Update v : plan.updates()) {
                        for (String l : v.equations()) if (l.contains(" = Σ_") && l.contains(phi.group(1) + "[")) sums(f, l, k);
                    }
                    continue;
                }
                if (line.contains(" = Σ_") && line.contains("phi[") && !line.contains("inv(")) continue;   // the sums, above
                if (line.startsWith("using") || line.startsWith("(") || line.startsWith("normalised")) continue;
                String eqs = FOR.matcher(line).replaceAll("");
                for (String eq : eqs.split(",   ")) {
                    int at = eq.indexOf(" = ");
                    String lhs = eq.substring(0, at).strip(), rhs = eq.substring(at + 3).strip();
                    if (lhs.startsWith("E[")) { f.define(lhs, rhs); continue; }
                    boolean inverse = lhs.startsWith("inv(");
                    if (inverse) lhs = lhs.substring(4, lhs.length() - 1);
                    if (!lhs.endsWith("]")) {
                        f.bind(lhs, f.evalV(rhs));       // a prior's vector, alpha0 = [..]
                        continue;
                    }
                    String name = lhs.substring(0, lhs.indexOf('['));
                    String var = lhs.substring(lhs.indexOf('[') + 1, lhs.length() - 1);
                    V[] got = new V[k];
                    for (int j = 1; j <= k; j++) {
                        f.at(var, j);
                        got[j - 1] = f.evalV(rhs);
                        if (inverse) got[j - 1] = PlanFormula.inv(got[j - 1]);
                    }
                    f.free(var);
                    V[] want = q1.get(name);
                    if (want != null) {
                        for (int j = 0; j < k; j++) close(want[j], got[j], spec + ": " + eq + " at k = " + (j + 1));
                        checked++;
                    }
                    f.bindArray(name, got);
                }
            }
        }
        // every q's parameter was set by a printed update, or the q did not change
        for (String name : q1.keySet()) {
            assertTrue(f.hasArray(name), spec + ": " + name);
        }
        double sum = 0;
        List<String> terms = new ArrayList<>();
        int nTerms = 0;
        for (CaviPlan.ElboTerm t : plan.elbo()) {
            if (t.name().equals("where")) continue;
            double v;
            try {
                v = f.eval(t.formula().replaceAll("   \\(.*\\)$", ""));     // a note after the formula
            } catch (RuntimeException e) {
                throw new AssertionError(spec + ": " + t.name() + " = " + t.formula() + ": " + e.getMessage(), e);
            }
            terms.add(t.name() + " = " + v);
            sum += v;
            nTerms++;
        }
        assertEquals(elbo, sum, TOL * Math.abs(elbo), spec + ": " + terms);
        return new Checked(checked, nTerms);
    }

    /** N[k] = Σ_i phi[i,k],   S[k] = Σ_i phi[i,k]·x[i] */
    static void sums(PlanFormula f, String line, int k) {
        for (String eq : line.split(",   ")) {
            int at = eq.indexOf(" = ");
            String lhs = eq.substring(0, at).strip();
            String name = lhs.substring(0, lhs.indexOf('['));
            String var = lhs.substring(lhs.indexOf('[') + 1, lhs.length() - 1);
            V[] got = new V[k];
            for (int j = 1; j <= k; j++) got[j - 1] = f.at(var, j).evalV(eq.substring(at + 3));
            f.free(var).bindArray(name, got);
        }
    }

    static void computePhi(PlanFormula f, String name, String i, String kv, String exponent, int k) {
        int n = f.n();
        double[][] phi = new double[n][k];
        for (int r = 1; r <= n; r++) {
            f.at(i, r);
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 1; j <= k; j++) {
                f.at(kv, j);
                phi[r - 1][j - 1] = f.eval(exponent);
                max = Math.max(max, phi[r - 1][j - 1]);
            }
            double z = 0;
            for (int j = 0; j < k; j++) z += Math.exp(phi[r - 1][j] - max);
            for (int j = 0; j < k; j++) phi[r - 1][j] = Math.exp(phi[r - 1][j] - max) / z;
        }
        f.free(i).free(kv);
        f.bindTable(name, phi);
    }

    static void close(V want, V got, String what) {
        assertEquals(want.r(), got.r(), what);
        assertEquals(want.c(), got.c(), what);
        for (int l = 0; l < want.a().length; l++) {
            double w = want.a()[l];
            if (Math.abs(w - got.a()[l]) > TOL * Math.max(1, Math.abs(w))) {
                fail(what + ": the runtime has " + w + ", the printed formula gives " + got.a()[l]);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"gmm", "gmm-dirichlet", "gmm-precisions", "gmm-normal-gamma", "poisson-mixture",
        "bernoulli-mixture", "exponential-mixture", "stick-1d", "stick-exponential",
        "gmm-precisions|mu=[-2,0,3]", "gmm-normal-gamma|mu=[-2,0,3]",
        "mvn-known", "bishop-gmm", "dp-mixture", "wishart-mean-field", "wishart-own-covariance",
        "bishop-gmm|mu=[[-2,0],[0,2],[2,0],[0,-2]]", "wishart-mean-field|mu=[[-2,0],[0,2],[2,0],[0,-2]]",
        "wishart-own-covariance|mu=[[-2,0],[0,2],[2,0]]"})
    void oneSweepIsThePrintedArithmetic(String spec) throws Exception {
        Checked c = checkOneSweep(spec, 8);
        assertTrue(c.parameters() >= 2, spec + ": " + c);
    }
}
