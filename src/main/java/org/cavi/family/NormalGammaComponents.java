package org.cavi.family;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.commons.math3.random.RandomGenerator;

/**
 * The Normal family's unit in one dimension: the q of K components of x ~ Normal(mu_k, 1/tau_k).
 * q(mu_k) is Normal(m_k, s2_k), or a point mass when the means are fixed; tau_k is known or q(tau_k)
 * is Gamma(a_k, b_k); under the Normal-Gamma prior mu_k ~ Normal(m0, 1/(beta0·tau_k)), q(mu_k) q(tau_k)
 * is mean-field or the joint q(mu_k, tau_k) = Normal(m_k, 1/(beta_k·tau_k))·Gamma(a_k, b_k).
 *
 * <p>It owns the updates from a pass's sums, the natural parameters, the ELBO terms and the report,
 * and the text the plan prints for each of them ({@link #updates}, {@link #elboTerms}, {@link #factors}):
 * each printed formula is evaluated against this arithmetic by the plan-arithmetic tests.
 * {@link NormalWishartComponents} is its twin in D dimensions; a test holds the two to the same
 * numbers at D = 1, so that neither can drift from the other.
 */
public final class NormalGammaComponents {
    /** q(tau) is the Gamma unit's: E[tau] and E[log tau] are its E[T2] and E[T1]. */
    private static final PositiveFamily GAMMA = PositiveFamily.GAMMA;

    private final int k;
    private final String mean;
    private final double m0;
    private final boolean meansFixed, joint, scaled;
    private final double v0;      // prior variance of mu, when not scaled
    private final double beta0;   // prior scale, when scaled
    private final double knownTau;
    private final NormalPrior.Precision.Gamma gamma; // null when tau is known
    /** q's parameters per component; a, b and beta are unused where the model has no such factor. */
    public final double[] m, s2, beta, a, b;

    /**
     * The start of a fit: means at {@code start} (or fixed there), each component given n/K of the
     * data and the precision {@code tauStart} (ignored when tau is known).
     */
    public NormalGammaComponents(String mean, double m0, NormalPrior.MeanPrior meanPrior, NormalPrior.Precision precision,
                                 boolean joint, int k, double[] start, boolean meansFixed, double n, double tauStart) {
        this.k = k;
        this.mean = mean;
        this.m0 = m0;
        this.meansFixed = meansFixed;
        this.joint = joint;
        this.scaled = meanPrior instanceof NormalPrior.MeanPrior.Scaled;
        this.v0 = meanPrior instanceof NormalPrior.MeanPrior.Variance v ? v.v() : Double.NaN;
        this.beta0 = meanPrior instanceof NormalPrior.MeanPrior.Scaled s ? s.beta0() : Double.NaN;
        this.knownTau = precision instanceof NormalPrior.Precision.Known kn ? kn.tau() : Double.NaN;
        this.gamma = precision instanceof NormalPrior.Precision.Gamma g ? g : null;
        m = start.clone();
        s2 = new double[k];
        beta = new double[k];
        a = new double[k];
        b = new double[k];
        double share = n / k;
        double tau = gamma == null ? knownTau : tauStart;
        for (int j = 0; j < k; j++) {
            if (gamma != null) {
                a[j] = gamma.a0() + share / 2;
                b[j] = a[j] / tau;
            }
            if (meansFixed) continue;
            if (joint) beta[j] = beta0 + share;
            else if (scaled) s2[j] = 1 / ((beta0 + share) * tau);
            else s2[j] = 1 / (1 / v0 + share * tau);
        }
    }

    /** E[tau_k]. */
    public double eTau(int j) { return gamma == null ? knownTau : GAMMA.eT2(a[j], b[j]); }

    /** E[log tau_k]. */
    public double eLogTau(int j) { return gamma == null ? Math.log(knownTau) : GAMMA.eT1(a[j], b[j]); }

    /** E[tau (mu − m)²]: the spread of q(mu) as the likelihood sees it. */
    public double spread(int j) {
        if (meansFixed) return 0;
        return joint ? 1 / beta[j] : eTau(j) * s2[j];
    }

    /** Which of q(mu) and q(the precision) a plan step sets. */
    private boolean[] parts(List<String> step) {
        return NormalPrior.parts(step, mean, gamma == null ? null : gamma.name(), meansFixed, joint);
    }

    /**
     * q(mu): (m/s2, −1/(2·s2)) for (mu, mu²); q(tau): (−b, a − 1) for (tau, log tau), the order of
     * q(Lambda)'s (Lambda, log|Lambda|) in the D-dimensional twin; the joint
     * q(mu, tau) = Normal(m, 1/(beta·tau))·Gamma(a, b): (beta·m, −beta/2, −b − beta·m²/2, a − ½)
     * for (tau·mu, tau·mu², tau, log tau). Per component, q(mu)'s block before q(tau)'s.
     */
    public double[] natural(List<String> step) {
        boolean[] p = parts(step);
        boolean both = p[0] && p[1] && joint;
        double[] eta = new double[(both ? 4 : 2 * step.size()) * k];
        int t = 0;
        for (int j = 0; j < k; j++) {
            if (both) {
                eta[t++] = beta[j] * m[j];
                eta[t++] = -beta[j] / 2;
                eta[t++] = -b[j] - beta[j] * m[j] * m[j] / 2;
                eta[t++] = a[j] - 0.5;
                continue;
            }
            if (p[0]) {
                eta[t++] = m[j] / s2[j];
                eta[t++] = -1 / (2 * s2[j]);
            }
            if (p[1]) {
                eta[t++] = -b[j];
                eta[t++] = a[j] - 1;
            }
        }
        return eta;
    }

    /** Sets the factors of {@code step} from natural parameters laid out as {@link #natural} gives them. */
    public void setNatural(List<String> step, double[] eta) {
        boolean[] p = parts(step);
        boolean both = p[0] && p[1] && joint;
        int t = 0;
        for (int j = 0; j < k; j++) {
            if (both) {
                beta[j] = -2 * eta[t + 1];
                m[j] = eta[t] / beta[j];
                b[j] = -eta[t + 2] - beta[j] * m[j] * m[j] / 2;
                a[j] = eta[t + 3] + 0.5;
                t += 4;
                continue;
            }
            if (p[0]) {
                s2[j] = -1 / (2 * eta[t + 1]);
                m[j] = eta[t] * s2[j];
                t += 2;
            }
            if (p[1]) {
                b[j] = -eta[t];
                a[j] = eta[t + 1] + 1;
                t += 2;
            }
        }
    }

    /**
     * The plan's step: q(mu), q(tau), or the joint q(mu, tau) as one block, from the pass's sums.
     * Each component's q(tau) reads the m and s2 the plan set before it.
     */
    public void update(List<String> step, SuffStats s) {
        boolean[] p = parts(step);
        boolean mu = p[0], precision = p[1];
        for (int j = 0; j < k; j++) {
            double nk = s.n[j];
            double sum = s.sum(j);
            if (mu) {
                if (joint) {
                    beta[j] = beta0 + nk;
                    m[j] = (beta0 * m0 + sum) / beta[j];
                } else if (scaled) {
                    s2[j] = 1 / ((beta0 + nk) * eTau(j));
                    m[j] = (beta0 * m0 + sum) / (beta0 + nk);
                } else {
                    double et = eTau(j);
                    s2[j] = 1 / (1 / v0 + nk * et);
                    m[j] = s2[j] * (m0 / v0 + et * sum);
                }
            }
            if (precision) {
                double squares = s.squaresAbout(j, m[j]);
                double dm = m[j] - m0;
                if (meansFixed) {
                    a[j] = gamma.a0() + nk / 2;
                    b[j] = gamma.b0() + squares / 2 + (scaled ? beta0 * dm * dm / 2 : 0);
                    if (scaled) a[j] += 0.5;
                } else if (joint) {
                    a[j] = gamma.a0() + nk / 2;
                    b[j] = gamma.b0() + (squares + beta0 * dm * dm) / 2;
                } else if (scaled) {
                    a[j] = gamma.a0() + (nk + 1) / 2;
                    b[j] = gamma.b0() + (squares + nk * s2[j] + beta0 * (dm * dm + s2[j])) / 2;
                } else {
                    a[j] = gamma.a0() + nk / 2;
                    b[j] = gamma.b0() + (squares + nk * s2[j]) / 2;
                }
            }
        }
    }

    /** Σ_k of E[log p(x | c, mu, tau)] + E[log p(mu)] + E[log p(tau)] + H[q(mu)] + H[q(tau)] at the current q. */
    public double elbo(SuffStats s) {
        double e = 0;
        for (int j = 0; j < k; j++) {
            if (gamma != null) {
                e += termsGamma(j, s);
                continue;
            }
            // a known tau: the terms added one by one, as the scalar sweep always has (its bits are pinned)
            e += Gaussian.expectedLogLik(s.n[j], s.squaresAbout(j, m[j]), eTau(j), eLogTau(j), spread(j));
            e += Gaussian.priorTerm(v0, m[j] - m0, meansFixed ? 0 : s2[j]);
            if (!meansFixed) e += Gaussian.entropy(s2[j]);
        }
        return e;
    }

    /**
     * The same with q(tau) = Gamma(a, b). E[log tau] = ψ(a) − log b enters the likelihood (N/2 of it),
     * the Normal-Gamma prior of mu (½), the joint block's entropy (−½), tau's prior (a0 − 1) and its
     * entropy (through (1 − a)·ψ(a) − log b); gathered, ψ(a) has the coefficient c + a0 − a, which
     * the update makes 0 (a is set to c + a0, the {@code shape} below), and log b the coefficient
     * −(c + a0). So a vague prior (a0 = 1e-300, where ψ(a) ≈ −1e300 for an empty component) adds
     * exactly nothing there, instead of the difference of two numbers of 1e300.
     */
    private double termsGamma(int j, SuffStats s) {
        double nk = s.n[j];
        double et = eTau(j), spread = spread(j);
        double dm = m[j] - m0;
        // what the update sets a to: a0 + the coefficients of E[log tau] outside tau's own prior and entropy
        double shape;
        if (meansFixed) shape = scaled ? (gamma.a0() + nk / 2) + 0.5 : gamma.a0() + nk / 2;
        else if (joint || !scaled) shape = gamma.a0() + nk / 2;
        else shape = gamma.a0() + (nk + 1) / 2;
        double aj = a[j], bj = b[j];
        // the likelihood, the prior of mu and q(mu)'s entropy without their E[log tau] parts
        double e = -nk * 0.5 * Gaussian.LOG_2PI - 0.5 * (et * s.squaresAbout(j, m[j]) + nk * spread);
        if (scaled) e += 0.5 * (Math.log(beta0) - Gaussian.LOG_2PI) - 0.5 * beta0 * (et * dm * dm + spread);
        else e += Gaussian.priorTerm(v0, dm, meansFixed ? 0 : s2[j]);
        if (!meansFixed) e += joint ? 0.5 * (Gaussian.LOG_2PI + 1) - 0.5 * Math.log(beta[j]) : Gaussian.entropy(s2[j]);
        // tau's prior and entropy, with every E[log tau] gathered
        double c1 = shape - aj;
        if (c1 != 0) e += c1 * Special.digamma(aj);
        e += -shape * Math.log(bj) + aj + gamma.a0() * Math.log(gamma.b0()) - gamma.b0() * et;
        if (aj != gamma.a0()) e += Special.logGamma(aj) - Special.logGamma(gamma.a0());
        return e;
    }

    /**
     * The ELBO's terms one by one, as the plan names them, each its own formula (their sum is
     * {@link #elbo} up to rounding: elbo gathers E[log tau] first, for vague priors).
     *
     * @param likelihood the likelihood's name in the plan, "E[log p(x | c, mu, tau)]"
     */
    public void terms(SuffStats s, String likelihood, Map<String, Double> out) {
        double lik = 0, priorMu = 0, priorTau = 0, hMu = 0, hTau = 0;
        for (int j = 0; j < k; j++) {
            double et = eTau(j), elt = eLogTau(j), dm = m[j] - m0;
            lik += Gaussian.expectedLogLik(s.n[j], s.squaresAbout(j, m[j]), et, elt, spread(j));
            priorMu += scaled ? Gaussian.scaledPriorTerm(beta0, et, elt, dm, spread(j))
                    : Gaussian.priorTerm(v0, dm, meansFixed ? 0 : s2[j]);
            if (gamma != null) {
                priorTau += GAMMA.priorTerm(gamma.a0(), gamma.b0(), GAMMA.eT1(a[j], b[j]), GAMMA.eT2(a[j], b[j]));
                hTau += GAMMA.entropy(a[j], b[j]);
            }
            if (!meansFixed) hMu += joint ? Gaussian.conditionalEntropy(beta[j], elt) : Gaussian.entropy(s2[j]);
        }
        String tau = gamma == null ? null : gamma.name();
        out.put(likelihood, lik);
        out.put("E[log p(" + mean + (scaled ? " | " + tau : "") + ")]", priorMu);
        if (tau != null) out.put("E[log p(" + tau + ")]", priorTau);
        if (meansFixed) {
            if (tau != null) out.put("H[q(" + tau + ")]", hTau);
        } else if (joint) {
            out.put("H[q(" + mean + ", " + tau + ")]", hMu + hTau);
        } else {
            out.put("H[q(" + mean + ")]", hMu);
            if (tau != null) out.put("H[q(" + tau + ")]", hTau);
        }
    }

    /** The report's blocks: the means (a point mass when fixed), then q(tau). */
    public void report(Map<String, Posterior.Block> out) {
        Map<String, Object> mu = new LinkedHashMap<>();
        if (meansFixed) {
            mu.put("value", m.clone());
            out.put(mean, new Posterior.Block(mean, "PointMass", mu));
        } else if (joint) {
            mu.put("mean", m.clone());
            mu.put("beta", beta.clone());
            // mu's marginal, tau integrated out: Student-t with 2a degrees of freedom, scale² b/(a·beta)
            Interval.put(mu, k, j -> Interval.studentT(2 * a[j], m[j], Math.sqrt(b[j] / (a[j] * beta[j]))));
            out.put(mean, new Posterior.Block(mean, "Normal given " + gamma.name(), mu));
        } else {
            mu.put("mean", m.clone());
            double[] sd = new double[k];
            for (int j = 0; j < k; j++) sd[j] = Math.sqrt(s2[j]);
            mu.put("sd", sd);
            Interval.put(mu, k, j -> Interval.normal(m[j], sd[j]));
            out.put(mean, new Posterior.Block(mean, "Normal", mu));
        }
        if (gamma != null) {
            Map<String, Object> f = GAMMA.report(a, b);
            double[] variance = new double[k];
            for (int j = 0; j < k; j++) variance[j] = 1 / eTau(j);
            // the component's variance as the report states it: 1/E[tau]; none where E[tau] underflows
            if (Arrays.stream(variance).allMatch(Double::isFinite)) f.put("variance", variance);
            out.put(gamma.name(), new Posterior.Block(gamma.name(), GAMMA.name(), f));
        }
    }

    // ---- draws, for simulate ----------------------------------------------------

    /**
     * The K components' (mu, tau) drawn from their priors, values fixed with --set kept (null when
     * not fixed): {mu, tau}. tau's Gamma draws come from {@code well}, mu's Normal draws from {@code rng}.
     */
    public static double[][] sampleParameters(double m0, NormalPrior.MeanPrior meanPrior, NormalPrior.Precision precision, int k,
                                              double[] fixedMu, double[] fixedTau, SplittableRandom rng, RandomGenerator well) {
        double[] tau = new double[k];
        if (precision instanceof NormalPrior.Precision.Gamma g) {
            tau = fixedTau;
            if (tau == null) {
                tau = new double[k];
                for (int j = 0; j < k; j++) tau[j] = GAMMA.sample(g.a0(), g.b0(), well);
            }
        } else {
            Arrays.fill(tau, ((NormalPrior.Precision.Known) precision).tau());
        }
        double[] mu = fixedMu;
        if (mu == null) {
            mu = new double[k];
            for (int j = 0; j < k; j++) {
                double v = meanPrior instanceof NormalPrior.MeanPrior.Variance var ? var.v()
                        : 1 / (((NormalPrior.MeanPrior.Scaled) meanPrior).beta0() * tau[j]);
                mu[j] = m0 + Math.sqrt(v) * rng.nextGaussian();
            }
        }
        return new double[][] {mu, tau};
    }

    /** The likelihood's density at x with mean mu and standard deviation sd, for the plots' component curves. */
    public static double density(double mu, double sd, double x) {
        double z = (x - mu) / sd;
        return Math.exp(-0.5 * z * z) / (sd * Math.sqrt(2 * Math.PI));
    }

    /** A draw x ~ Normal(mu, 1/tau). */
    public static double sample(double mu, double tau, SplittableRandom rng) {
        return mu + rng.nextGaussian() / Math.sqrt(tau);
    }

    // ---- the plan's text ----------------------------------------------------

    /** The pattern's name after "Bayesian mixture of Gaussians" or "conjugate Gaussian model". */
    public static String pattern(NormalPrior.MeanPrior meanPrior, NormalPrior.Precision precision, boolean joint) {
        if (!(precision instanceof NormalPrior.Precision.Gamma)) return ", known variance";
        if (!(meanPrior instanceof NormalPrior.MeanPrior.Scaled)) return ", unknown precisions, mean-field";
        return joint ? ", Normal-Gamma prior, joint q(mean, precision)" : ", Normal-Gamma prior, mean-field q(mean)q(precision)";
    }

    /** Where the literature has these updates, for a mixture or a single component, with Dirichlet weights or not. */
    public static List<String> references(NormalPrior.MeanPrior meanPrior, NormalPrior.Precision precision, boolean joint,
                                          boolean mixture, boolean dirichlet) {
        String prml = Registry.PRML;
        boolean gamma = precision instanceof NormalPrior.Precision.Gamma;
        boolean scaled = meanPrior instanceof NormalPrior.MeanPrior.Scaled;
        List<String> refs = new ArrayList<>();
        if (!mixture) {
            if (gamma && scaled && !joint) refs.add(prml + ", §10.1.3");
            else if (gamma && scaled) refs.add(prml + ", §2.3.6 (the Normal-Gamma prior; q is the exact posterior)");
            else if (gamma) { refs.add(prml + ", §10.1.3 (with an independent prior on the mean)"); refs.add(Registry.VMP); }
            else refs.add(prml + ", §2.3.1 and §2.3.6; " + Registry.BDA);
        } else {
            refs.add(Registry.BLEI);
            if (gamma && scaled && joint) refs.add(prml + ", §10.2 (with D = 1: the Normal-Gamma is the 1-D Normal-Wishart)");
            else if (gamma && scaled) { refs.add(prml + ", §10.1.3 (per component)"); refs.add(Registry.VMP); }
            else if (gamma) refs.add(Registry.VMP);
            if (dirichlet && !(gamma && scaled && joint)) refs.add(prml + ", §10.2 (Dirichlet weights)");
        }
        return refs;
    }

    /** E[tau[k]] as the plan writes it: a[k]/b[k], or 1/variance when it is known. */
    private static String eTau(NormalPrior.Precision precision, PlanSymbols s) {
        return precision instanceof NormalPrior.Precision.Gamma ? s.a() + "/" + s.b() : "1/" + s.known();
    }

    private static String eLogTau(PlanSymbols s) { return "(ψ(" + s.a() + ") − log " + s.b() + ")"; }

    private static String gammaEntropy(PlanSymbols s) {
        return s.a() + " − log " + s.b() + " + log Γ(" + s.a() + ") + (1 − " + s.a() + ")·ψ(" + s.a() + ")";
    }

    /** The factors of q: the means (unless fixed), the precisions when they are learned; fixedMeans is the --set value. */
    public static List<PlanSymbols.Factor> factors(NormalPrior.Precision precision, boolean joint, String fixedMeans, PlanSymbols s) {
        List<PlanSymbols.Factor> out = new ArrayList<>();
        boolean gamma = precision instanceof NormalPrior.Precision.Gamma;
        if (fixedMeans != null) {
            out.add(new PlanSymbols.Factor(s.compAt(), "fixed", s.m() + " = " + fixedMeans + " (set with --set)", true));
        } else if (joint) {
            out.add(new PlanSymbols.Factor(s.compAt() + ", " + s.precAt(), "Normal-Gamma",
                    "Normal(" + s.m() + ", 1/(" + s.beta() + "·" + s.precAt() + ")) · Gamma(" + s.a() + ", " + s.b() + ")", false));
        } else {
            out.add(new PlanSymbols.Factor(s.compAt(), "Normal", s.m() + ", " + s.s2(), false));
        }
        if (gamma && (!joint || fixedMeans != null)) {
            out.add(new PlanSymbols.Factor(s.precAt(), "Gamma", s.a() + ", " + s.b() + "  (shape, rate)", false));
        }
        return out;
    }

    /** The updates of q(mu) and q(tau), or of the joint block, in the plan's order. */
    public static List<PlanSymbols.Step> updates(NormalPrior.MeanPrior meanPrior, NormalPrior.Precision precision, boolean joint,
                                                 boolean fixedMean, PlanSymbols s) {
        List<PlanSymbols.Step> out = new ArrayList<>();
        boolean gamma = precision instanceof NormalPrior.Precision.Gamma;
        String beta0 = meanPrior instanceof NormalPrior.MeanPrior.Scaled ? s.beta0() : null;
        String m = s.m(), s2 = s.s2(), nk = s.nk(), sk = s.sk(), m0 = s.m0();
        String sq = "Σ_" + s.i() + " " + s.sumPhi() + "(" + s.xi() + " − " + m + ")²";
        if (!fixedMean && joint) {
            List<String> eqs = new ArrayList<>(s.sums());
            eqs.add(s.beta() + " = " + beta0 + " + " + nk);
            eqs.add(m + " = (" + beta0 + "·" + m0 + " + " + sk + ") / " + s.beta());
            eqs.add(s.a() + " = " + s.a0() + " + " + nk + "/2");
            eqs.add(s.b() + " = " + s.b0() + " + ½(" + sq + " + " + beta0 + "·(" + m + " − " + m0 + ")²)");
            out.add(new PlanSymbols.Step(s.compAt() + ", " + s.precAt(), s.meanRule() + "; with " + s.precRule()
                    + ", as one block (Bishop 2006, §10.2.1 with D = 1)", eqs));
            return out;
        }
        if (!fixedMean) {
            List<String> eqs = new ArrayList<>(s.sums());
            if (beta0 != null) {
                eqs.add(s2 + " = 1 / ((" + beta0 + " + " + nk + ")·" + eTau(precision, s) + ")");
                eqs.add(m + "  = (" + beta0 + "·" + m0 + " + " + sk + ") / (" + beta0 + " + " + nk + ")");
            } else if (!gamma) {
                eqs.add(s2 + " = 1 / (1/" + s.v0() + " + " + nk + "/" + s.known() + ")");
                eqs.add(m + "  = " + s2 + " · (" + m0 + "/" + s.v0() + " + " + sk + "/" + s.known() + ")");
            } else {
                eqs.add(s2 + " = 1 / (1/" + s.v0() + " + " + nk + "·" + eTau(precision, s) + ")");
                eqs.add(m + "  = " + s2 + " · (" + m0 + "/" + s.v0() + " + " + eTau(precision, s) + "·" + sk + ")");
            }
            out.add(new PlanSymbols.Step(s.compAt(), s.meanRule(), eqs));
        }
        if (gamma) {
            List<String> eqs = new ArrayList<>();
            if (fixedMean || beta0 == null) {
                eqs.add(s.a() + " = " + s.a0() + " + " + nk + "/2" + (fixedMean && beta0 != null ? " + 1/2" : ""));
                eqs.add(s.b() + " = " + s.b0() + " + ½(" + sq + (fixedMean ? "" : " + " + nk + "·" + s2)
                        + (fixedMean && beta0 != null ? " + " + beta0 + "·(" + m + " − " + m0 + ")²" : "") + ")");
            } else {
                eqs.add(s.a() + " = " + s.a0() + " + (" + nk + " + 1)/2");
                eqs.add(s.b() + " = " + s.b0() + " + ½(" + sq + " + " + nk + "·" + s2 + " + " + beta0 + "·((" + m
                        + " − " + m0 + ")² + " + s2 + "))");
            }
            if (!fixedMean) eqs.add("using the " + m + ", " + s2 + " just updated" + (beta0 != null ? " (Bishop 2006, §10.1.3)" : ""));
            out.add(new PlanSymbols.Step(s.precAt(), s.precRule(), eqs));
        }
        return out;
    }

    /** E[log p(x[i] | component k)] up to −½ log 2π, as the exponent of φ writes it. */
    public static String expectedLogLik(NormalPrior.Precision precision, boolean joint, boolean fixedMean, PlanSymbols s) {
        String spread = fixedMean ? "" : joint ? " + 1/" + s.beta() : " + " + s.s2();
        String d = "(" + s.xi() + " − " + s.m() + ")²";
        if (precision instanceof NormalPrior.Precision.Gamma) {
            String e = eTau(precision, s);
            String body = joint || spread.isEmpty() ? e + "·" + d + spread : e + "·(" + d + spread + ")";
            return "½" + eLogTau(s) + " − ½(" + body + ")";
        }
        return "− " + (spread.isEmpty() ? d : "(" + d + spread + ")") + "/(2·" + s.known() + ")";
    }

    /** The ELBO's terms of the likelihood, the means and the precisions, and the expectations they use. */
    public static List<PlanSymbols.Term> elboTerms(NormalPrior.MeanPrior meanPrior, NormalPrior.Precision precision, boolean joint,
                                                   boolean fixedMean, PlanSymbols s) {
        List<PlanSymbols.Term> out = new ArrayList<>();
        String spread = fixedMean ? "" : joint ? " + 1/" + s.beta() : " + " + s.s2();
        String d = "(" + s.xi() + " − " + s.m() + ")²";
        String tau = s.prec(), comp = s.comp(), phi = s.phiSum();
        String elogTau = "E[log " + s.precAt() + "]", eTau = "E[" + s.precAt() + "]";
        String likName = "E[log p(" + s.x() + " | " + s.given() + ")]";
        if (!(precision instanceof NormalPrior.Precision.Gamma)) {
            String lam = s.known();
            out.add(new PlanSymbols.Term(likName, "−" + s.n() + "/2·log(2π·" + lam + ") − " + phi
                    + (spread.isEmpty() ? d : "(" + d + spread + ")") + "/(2·" + lam + ")"));
        } else {
            String body = joint || spread.isEmpty() ? eTau + "·" + d + spread : eTau + "·(" + d + spread + ")";
            out.add(new PlanSymbols.Term(likName, phi + "[½" + elogTau + " − ½ log 2π − ½(" + body + ")]"));
        }
        String dm = "(" + s.m() + " − " + s.m0() + ")²";
        if (meanPrior instanceof NormalPrior.MeanPrior.Scaled) {
            String b0 = s.beta0();
            // E[tau·(mu − m0)²]: under q(mu, tau) E[tau]·(m − m0)² + 1/beta; under q(mu)q(tau) E[tau]·((m − m0)² + s2)
            String quad = joint || fixedMean ? eTau + "·" + dm + spread : eTau + "·(" + dm + spread + ")";
            out.add(new PlanSymbols.Term("E[log p(" + comp + " | " + tau + ")]", s.sumK().apply("½ log(" + b0 + "/2π) + ½" + elogTau
                    + " − ½·" + b0 + "·(" + quad + ")")));
        } else {
            out.add(new PlanSymbols.Term("E[log p(" + comp + ")]", s.sumK().apply("−½ log(2π·" + s.v0() + ") − "
                    + (fixedMean ? dm : "(" + dm + " + " + s.s2() + ")") + "/(2·" + s.v0() + ")")));
        }
        boolean gamma = precision instanceof NormalPrior.Precision.Gamma;
        if (gamma) {
            String a0 = s.a0(), b0 = s.b0();
            out.add(new PlanSymbols.Term("E[log p(" + tau + ")]", s.sumK().apply(a0 + "·log " + b0 + " − log Γ(" + a0 + ") + (" + a0
                    + " − 1)·" + elogTau + " − " + b0 + "·" + eTau)));
        }
        if (!fixedMean && joint) {
            out.add(new PlanSymbols.Term("H[q(" + comp + ", " + tau + ")]", s.sumK().apply(gammaEntropy(s) + " + ½ log(2πe) − ½ log "
                    + s.beta() + " − ½" + elogTau)));
        } else if (!fixedMean) {
            out.add(new PlanSymbols.Term("H[q(" + comp + ")]", s.sumK().apply("½ log(2πe·" + s.s2() + ")")));
        }
        if (gamma && (!joint || fixedMean)) out.add(new PlanSymbols.Term("H[q(" + tau + ")]", s.sumK().apply(gammaEntropy(s))));
        if (gamma) out.add(new PlanSymbols.Term("where", eTau + " = " + s.a() + "/" + s.b() + ",  " + elogTau + " = ψ(" + s.a()
                + ") − log " + s.b()));
        return out;
    }

    /** The joint block's sufficient statistics, for the derivation: (tau·mu, tau·mu², tau, log tau). */
    public static String jointStatistics(PlanSymbols s) {
        String mu = s.compAt(), tau = s.precAt();
        return "(" + tau + "·" + mu + ", " + tau + "·" + mu + "², " + tau + ", log " + tau + ")";
    }

    /**
     * Each factor's contribution to the joint block's natural parameters, for the derivation, and
     * the family that results; {@code plain} writes q's parameters without the component index.
     */
    public static List<String> jointNatural(PlanSymbols s, PlanSymbols plain, String meanPrior, String precPrior, String likelihood) {
        String b0 = s.beta0(), m0 = s.m0(), sum = "Σ_" + s.i() + " " + s.sumPhi();
        List<String> out = new ArrayList<>();
        out.add("from the prior " + meanPrior + ": (" + b0 + "·" + m0 + ", −" + b0 + "/2, −" + b0 + "·" + m0 + "²/2, 1/2)");
        out.add("from the prior " + precPrior + ": (0, 0, −" + s.b0() + ", " + s.a0() + " − 1)");
        out.add("from " + likelihood + ": + (" + s.sk() + ", −" + s.nk() + "/2, −½·" + sum + s.xi() + "², " + s.nk() + "/2)");
        out.add("so q(" + s.compAt() + ", " + s.precAt() + ") is Normal(" + plain.m() + ", 1/(" + plain.beta() + "·" + s.prec()
                + "))·Gamma(" + plain.a() + ", " + plain.b() + "), the same family as the prior (Bishop 2006, §10.2.1)");
        return out;
    }
}
