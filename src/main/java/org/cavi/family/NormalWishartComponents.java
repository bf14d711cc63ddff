package org.cavi.family;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.commons.math3.random.RandomGenerator;

/**
 * The Normal family's unit in D dimensions (Bishop 2006, §10.2): the q of K components of
 * x ~ MvNormal(mu_k, inv(Lambda_k)). q(mu_k) is MvNormal(m_k, S_k), or a point mass when the means
 * are fixed; Lambda_k is known or q(Lambda_k) is Wishart(nu_k, W_k); under the Normal-Wishart prior
 * mu_k ~ MvNormal(m0, inv(beta0·Lambda_k)), q(mu_k) q(Lambda_k) is mean-field or the joint
 * q(mu_k, Lambda_k) = MvNormal(m_k, inv(beta_k·Lambda_k))·Wishart(nu_k, W_k).
 *
 * <p>It owns the updates from a pass's sums, the natural parameters, the ELBO terms and the report,
 * and the text the plan prints for each of them ({@link #updates}, {@link #elboTerms}, {@link #factors}):
 * the same mathematics as {@link NormalGammaComponents}, in matrices, held to it at D = 1 by a test.
 */
public final class NormalWishartComponents {
    private final int k, d;
    private final String mean;
    private final double[] m0;
    private final boolean meansFixed, joint, scaled;
    private final double beta0;
    private final double[][] s0inv;       // prior precision of mu, when not scaled
    private final double logDetS0;
    private final double[][] known;       // known Lambda, or null
    private final NormalPrior.MvPrecision.Wishart wishart; // or null
    /** The prior of Lambda, a Wishart unit, or null when Lambda is known. */
    private final Wishart lambdaPrior;
    // q
    public final double[][] m;
    public final double[][][] s;    // covariance of q(mu), mean-field
    public final double[] beta;     // joint: q(mu | Lambda) = MvNormal(m, inv(beta·Lambda))
    public final double[] nu;
    public final double[][][] w;

    /**
     * The start of a fit: means at {@code start} (or fixed there), each component given n/K of the
     * data and the precision {@code lambdaStart} (the known Lambda when it is known).
     */
    public NormalWishartComponents(String mean, double[] m0, NormalPrior.MvMeanPrior meanPrior, NormalPrior.MvPrecision precision,
                                   boolean joint, int k, double[][] start, boolean meansFixed, double n, double[][] lambdaStart) {
        this.k = k;
        this.d = m0.length;
        this.mean = mean;
        this.m0 = m0.clone();
        this.meansFixed = meansFixed;
        this.joint = joint;
        this.scaled = meanPrior instanceof NormalPrior.MvMeanPrior.Scaled;
        this.beta0 = meanPrior instanceof NormalPrior.MvMeanPrior.Scaled sc ? sc.beta0() : Double.NaN;
        if (meanPrior instanceof NormalPrior.MvMeanPrior.Covariance cov) {
            s0inv = Dense.inverse(cov.s0());
            logDetS0 = Dense.logDet(cov.s0());
        } else {
            s0inv = null;
            logDetS0 = 0;
        }
        this.known = precision instanceof NormalPrior.MvPrecision.Known kn ? kn.lambda() : null;
        this.wishart = precision instanceof NormalPrior.MvPrecision.Wishart wi ? wi : null;
        this.lambdaPrior = wishart == null ? null : Wishart.prior(wishart.nu0(), wishart.w0());
        m = new double[k][];
        s = new double[k][d][d];
        beta = new double[k];
        nu = new double[k];
        w = new double[k][d][d];
        double share = n / k;
        for (int j = 0; j < k; j++) {
            m[j] = start[j].clone();
            if (wishart != null) {
                nu[j] = wishart.nu0() + share;
                w[j] = Dense.scaled(lambdaStart, 1 / nu[j]);
            }
            if (meansFixed) continue;
            if (joint) beta[j] = beta0 + share;
            else if (scaled) s[j] = Dense.inverse(Dense.scaled(lambdaStart, beta0 + share));
            else s[j] = Dense.inverse(add(s0inv, Dense.scaled(lambdaStart, share)));
        }
    }

    public int dimension() { return d; }

    /** E[Lambda_k]. */
    public double[][] eLambda(int j) { return known != null ? known : Wishart.mean(nu[j], w[j]); }

    /** E[log |Lambda_k|]. */
    public double eLogDet(int j) {
        return known != null ? Dense.logDet(known) : Wishart.expectedLogDet(nu[j], w[j]);
    }

    /** E[(mu − m)ᵀ Lambda (mu − m)]: the spread of q(mu) as the likelihood sees it, given E[Lambda_k]. */
    public double spread(int j, double[][] eLam) {
        if (meansFixed) return 0;
        return joint ? d / beta[j] : Dense.traceProduct(eLam, s[j]);
    }

    private static double[][] add(double[][] a, double[][] b) {
        double[][] out = new double[a.length][a.length];
        for (int i = 0; i < a.length; i++) for (int j = 0; j < a.length; j++) out[i][j] = a[i][j] + b[i][j];
        return out;
    }

    private static double[][] outer(double[] u, double[] v) {
        double[][] out = new double[u.length][v.length];
        for (int a = 0; a < u.length; a++) for (int b = 0; b < v.length; b++) out[a][b] = u[a] * v[b];
        return out;
    }

    private double[] minus(double[] u, double[] v) {
        double[] out = new double[d];
        for (int a = 0; a < d; a++) out[a] = u[a] - v[a];
        return out;
    }

    /** Which of q(mu) and q(the precision) a plan step sets. */
    private boolean[] parts(List<String> step) {
        return NormalPrior.parts(step, mean, wishart == null ? null : wishart.name(), meansFixed, joint);
    }

    /**
     * Natural parameters, per component: q(mu) = MvNormal(m, S): (S⁻¹m, −S⁻¹/2); q(Lambda) =
     * Wishart(nu, W): (−W⁻¹/2, (nu − D − 1)/2); the joint MvNormal(m, inv(beta·Lambda))·Wishart(nu, W):
     * (beta·m, −beta/2, −(W⁻¹ + beta·m·mᵀ)/2, (nu − D)/2). Matrices row by row.
     */
    public double[] natural(List<String> step) {
        boolean[] p = parts(step);
        boolean both = p[0] && p[1] && joint;
        int per = both ? 1 + d + d * d + 1 : (p[0] ? d + d * d : 0) + (p[1] ? d * d + 1 : 0);
        double[] eta = new double[per * k];
        int t = 0;
        for (int j = 0; j < k; j++) {
            if (both) {
                double[][] winv = Dense.inverse(w[j]);
                for (int a = 0; a < d; a++) eta[t++] = beta[j] * m[j][a];
                eta[t++] = -beta[j] / 2;
                for (int a = 0; a < d; a++) for (int c = 0; c < d; c++) eta[t++] = -(winv[a][c] + beta[j] * m[j][a] * m[j][c]) / 2;
                eta[t++] = (nu[j] - d) / 2;
                continue;
            }
            if (p[0]) {
                double[][] sinv = Dense.inverse(s[j]);
                double[] h = Dense.times(sinv, m[j]);
                for (int a = 0; a < d; a++) eta[t++] = h[a];
                for (int a = 0; a < d; a++) for (int c = 0; c < d; c++) eta[t++] = -sinv[a][c] / 2;
            }
            if (p[1]) {
                double[][] winv = Dense.inverse(w[j]);
                for (int a = 0; a < d; a++) for (int c = 0; c < d; c++) eta[t++] = -winv[a][c] / 2;
                eta[t++] = (nu[j] - d - 1) / 2;
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
                double[] bm = Arrays.copyOfRange(eta, t, t + d);
                t += d;
                beta[j] = -2 * eta[t++];
                for (int a = 0; a < d; a++) m[j][a] = bm[a] / beta[j];
                double[][] winv = new double[d][d];
                for (int a = 0; a < d; a++) for (int c = 0; c < d; c++) winv[a][c] = -2 * eta[t++] - beta[j] * m[j][a] * m[j][c];
                w[j] = Dense.inverse(Dense.symmetric(winv));
                nu[j] = 2 * eta[t++] + d;
                continue;
            }
            if (p[0]) {
                double[] h = Arrays.copyOfRange(eta, t, t + d);
                t += d;
                double[][] sinv = new double[d][d];
                for (int a = 0; a < d; a++) for (int c = 0; c < d; c++) sinv[a][c] = -2 * eta[t++];
                s[j] = Dense.inverse(Dense.symmetric(sinv));
                m[j] = Dense.times(s[j], h);
            }
            if (p[1]) {
                double[][] winv = new double[d][d];
                for (int a = 0; a < d; a++) for (int c = 0; c < d; c++) winv[a][c] = -2 * eta[t++];
                w[j] = Dense.inverse(Dense.symmetric(winv));
                nu[j] = 2 * eta[t++] + d + 1;
            }
        }
    }

    /** The plan's step: q(mu), q(Lambda), or the joint q(mu, Lambda) as one block, from the pass's sums. */
    public void update(List<String> step, MvSuffStats st) {
        boolean[] p = parts(step);
        boolean mu = p[0], precision = p[1];
        for (int j = 0; j < k; j++) {
            double nk = st.n[j];
            double[] s1 = st.sum(j);
            if (mu) {
                if (joint) {
                    beta[j] = beta0 + nk;
                    for (int a = 0; a < d; a++) m[j][a] = (beta0 * m0[a] + s1[a]) / beta[j];
                } else if (scaled) {
                    s[j] = Dense.inverse(Dense.scaled(eLambda(j), beta0 + nk));
                    for (int a = 0; a < d; a++) m[j][a] = (beta0 * m0[a] + s1[a]) / (beta0 + nk);
                } else {
                    double[][] eLam = eLambda(j);
                    s[j] = Dense.inverse(add(s0inv, Dense.scaled(eLam, nk)));
                    double[] rhs = Dense.times(s0inv, m0);
                    double[] ls = Dense.times(eLam, s1);
                    for (int a = 0; a < d; a++) rhs[a] += ls[a];
                    m[j] = Dense.times(s[j], rhs);
                }
            }
            if (precision) {
                double[][] winv = add(lambdaPrior.w0inv(), st.squaresAbout(j, m[j]));
                double[] dm = minus(m[j], m0);
                if (meansFixed) {
                    nu[j] = wishart.nu0() + nk + (scaled ? 1 : 0);
                    if (scaled) winv = add(winv, Dense.scaled(outer(dm, dm), beta0));
                } else if (joint) {
                    nu[j] = wishart.nu0() + nk;
                    winv = add(winv, Dense.scaled(outer(dm, dm), beta0));
                } else if (scaled) {
                    nu[j] = wishart.nu0() + nk + 1;
                    winv = add(winv, add(Dense.scaled(s[j], nk + beta0), Dense.scaled(outer(dm, dm), beta0)));
                } else {
                    nu[j] = wishart.nu0() + nk;
                    winv = add(winv, Dense.scaled(s[j], nk));
                }
                w[j] = Dense.inverse(winv);
            }
        }
    }

    /** Σ_k of E[log p(x | c, mu, Lambda)] + E[log p(mu)] + E[log p(Lambda)] + H[q(mu)] + H[q(Lambda)] at the current q. */
    public double elbo(MvSuffStats st) {
        double total = 0;
        for (int j = 0; j < k; j++) {
            double nk = st.n[j];
            double[][] eLam = eLambda(j);
            double eld = eLogDet(j);
            double spread = spread(j, eLam);
            total += Gaussian.expectedLogLik(nk, st.squaresAbout(j, m[j]), eLam, eld, spread);
            double[] dm = minus(m[j], m0);
            if (scaled) {
                total += Gaussian.scaledPriorTerm(beta0, eLam, eld, dm, spread);
            } else {
                total += Gaussian.priorTerm(logDetS0, s0inv, dm, meansFixed ? 0 : Dense.traceProduct(s0inv, s[j]));
            }
            if (wishart != null) {
                total += lambdaPrior.priorTerm(eld, eLam);
                total += Wishart.entropy(nu[j], w[j], eld);
            }
            if (!meansFixed) {
                if (joint) total += Gaussian.conditionalEntropy(d, beta[j], eld);
                else total += Gaussian.entropy(s[j]);
            }
        }
        return total;
    }

    /**
     * The ELBO's terms one by one, as the plan names them; their sum is {@link #elbo}.
     *
     * @param likelihood the likelihood's name in the plan, "E[log p(x | c, mu, Lambda)]"
     */
    public void terms(MvSuffStats st, String likelihood, Map<String, Double> out) {
        double lik = 0, priorMu = 0, priorLam = 0, hMu = 0, hLam = 0;
        for (int j = 0; j < k; j++) {
            double nk = st.n[j];
            double[][] eLam = eLambda(j);
            double eld = eLogDet(j), spread = spread(j, eLam);
            lik += Gaussian.expectedLogLik(nk, st.squaresAbout(j, m[j]), eLam, eld, spread);
            double[] dm = minus(m[j], m0);
            priorMu += scaled ? Gaussian.scaledPriorTerm(beta0, eLam, eld, dm, spread)
                    : Gaussian.priorTerm(logDetS0, s0inv, dm, meansFixed ? 0 : Dense.traceProduct(s0inv, s[j]));
            if (wishart != null) {
                priorLam += lambdaPrior.priorTerm(eld, eLam);
                hLam += Wishart.entropy(nu[j], w[j], eld);
            }
            if (!meansFixed) hMu += joint ? Gaussian.conditionalEntropy(d, beta[j], eld) : Gaussian.entropy(s[j]);
        }
        String lam = wishart == null ? null : wishart.name();
        out.put(likelihood, lik);
        out.put("E[log p(" + mean + (scaled ? " | " + lam : "") + ")]", priorMu);
        if (lam != null) out.put("E[log p(" + lam + ")]", priorLam);
        if (meansFixed) {
            if (lam != null) out.put("H[q(" + lam + ")]", hLam);
        } else if (joint) {
            out.put("H[q(" + mean + ", " + lam + ")]", hMu + hLam);
        } else {
            out.put("H[q(" + mean + ")]", hMu);
            if (lam != null) out.put("H[q(" + lam + ")]", hLam);
        }
    }

    /** The report's blocks: the means (a point mass when fixed), then q(Lambda). */
    public void report(Map<String, Posterior.Block> blocks) {
        Map<String, Object> mu = new LinkedHashMap<>();
        double[][] means = new double[k][];
        for (int j = 0; j < k; j++) means[j] = m[j].clone();
        if (meansFixed) {
            mu.put("value", means);
            blocks.put(mean, new Posterior.Block(mean, "PointMass", mu));
        } else if (joint) {
            mu.put("mean", means);
            mu.put("beta", beta.clone());
            // each coordinate's marginal, Lambda integrated out: Student-t with nu − D + 1 degrees of
            // freedom and scale² (W⁻¹)_dd / (beta·(nu − D + 1)) (Bishop 2006, (B.68) with (10.40))
            double[][] wInv = new double[k][];
            for (int j = 0; j < k; j++) {
                double[][] inv = Dense.inverse(w[j]);
                wInv[j] = new double[d];
                for (int c = 0; c < d; c++) wInv[j][c] = inv[c][c];
            }
            Interval.putVectors(mu, k, d, (j, c) -> {
                double dof = nu[j] - d + 1;
                return Interval.studentT(dof, m[j][c], Math.sqrt(wInv[j][c] / (beta[j] * dof)));
            });
            blocks.put(mean, new Posterior.Block(mean, "MvNormal given " + wishart.name(), mu));
        } else {
            mu.put("mean", means);
            double[][][] cov = new double[k][][];
            for (int j = 0; j < k; j++) cov[j] = Arrays.stream(s[j]).map(double[]::clone).toArray(double[][]::new);
            mu.put("cov", cov);
            Interval.putVectors(mu, k, d, (j, c) -> Interval.normal(m[j][c], Math.sqrt(s[j][c][c])));
            blocks.put(mean, new Posterior.Block(mean, "MvNormal", mu));
        }
        if (wishart != null) {
            blocks.put(wishart.name(), new Posterior.Block(wishart.name(), "Wishart", Wishart.report(nu, w)));
        }
    }

    // ---- draws, for simulate ----------------------------------------------------

    /** The K components' parameters drawn from their priors: the means, and the lower Cholesky factor of each Lambda. */
    public record Draw(double[][] mu, double[][][] lowerOfLambda) {}

    /**
     * Lambda_k from its Wishart prior (Bartlett; or the known Lambda), then mu_k from its prior, or
     * the means fixed with --set (row-major, K·D values; null when not fixed).
     */
    public static Draw sampleParameters(double[] m0, NormalPrior.MvMeanPrior meanPrior, NormalPrior.MvPrecision precision, int k,
                                        double[] fixedMu, SplittableRandom rng, RandomGenerator well) {
        int d = m0.length;
        double[][][] lowerOfLambda = new double[k][][];
        for (int j = 0; j < k; j++) {
            double[][] lambda = precision instanceof NormalPrior.MvPrecision.Known kn ? kn.lambda()
                    : Wishart.sample(((NormalPrior.MvPrecision.Wishart) precision).nu0(), ((NormalPrior.MvPrecision.Wishart) precision).w0(), rng, well);
            lowerOfLambda[j] = Dense.lowerOfSymmetric(lambda);
        }
        double[][] mu = new double[k][d];
        for (int j = 0; j < k; j++) {
            if (fixedMu != null) {
                System.arraycopy(fixedMu, j * d, mu[j], 0, d);
            } else if (meanPrior instanceof NormalPrior.MvMeanPrior.Covariance cov) {
                double[][] l = Dense.lowerOfSymmetric(cov.s0());
                double[] z = normals(d, rng);
                for (int a = 0; a < d; a++) {
                    mu[j][a] = m0[a];
                    for (int b = 0; b <= a; b++) mu[j][a] += l[a][b] * z[b];
                }
            } else {
                double beta0 = ((NormalPrior.MvMeanPrior.Scaled) meanPrior).beta0();
                double[] y = solveUpper(lowerOfLambda[j], normals(d, rng));
                for (int a = 0; a < d; a++) mu[j][a] = m0[a] + y[a] / Math.sqrt(beta0);
            }
        }
        return new Draw(mu, lowerOfLambda);
    }

    /** A draw x ~ MvNormal(mu, inv(L Lᵀ)) into out[from .. from + D). */
    public static void sample(double[] mu, double[][] lowerOfLambda, SplittableRandom rng, double[] out, int from) {
        double[] y = solveUpper(lowerOfLambda, normals(mu.length, rng));
        for (int a = 0; a < mu.length; a++) out[from + a] = mu[a] + y[a];
    }

    private static double[] normals(int d, SplittableRandom rng) {
        double[] z = new double[d];
        for (int a = 0; a < d; a++) z[a] = rng.nextGaussian();
        return z;
    }

    /** Solves Lᵀ y = z for lower-triangular L: y ~ MvNormal(0, inv(L Lᵀ)) when z is standard Normal. */
    private static double[] solveUpper(double[][] l, double[] z) {
        int d = z.length;
        double[] y = new double[d];
        for (int a = d - 1; a >= 0; a--) {
            double s = z[a];
            for (int b = a + 1; b < d; b++) s -= l[b][a] * y[b];
            y[a] = s / l[a][a];
        }
        return y;
    }

    // ---- the plan's text ----------------------------------------------------

    /** The pattern's name after "Bayesian mixture of multivariate Gaussians in D = 2". */
    public static String pattern(NormalPrior.MvMeanPrior meanPrior, NormalPrior.MvPrecision precision, boolean joint) {
        if (!(precision instanceof NormalPrior.MvPrecision.Wishart)) return ", known covariance";
        if (!(meanPrior instanceof NormalPrior.MvMeanPrior.Scaled)) return ", Wishart precisions, mean-field";
        return joint ? ", Normal-Wishart prior, joint q(mean, precision) (Bishop 2006, §10.2)"
                     : ", Normal-Wishart prior, mean-field q(mean)q(precision)";
    }

    /** Where the literature has these updates, for a mixture or a single component, with Dirichlet weights or not. */
    public static List<String> references(NormalPrior.MvMeanPrior meanPrior, NormalPrior.MvPrecision precision, boolean joint,
                                          boolean mixture, boolean dirichlet) {
        List<String> refs = new ArrayList<>();
        if (precision instanceof NormalPrior.MvPrecision.Wishart) {
            refs.add(Registry.PRML + ", §10.2" + (joint ? "" : " (there with the joint q(mean, precision))"));
            if (!joint || !(meanPrior instanceof NormalPrior.MvMeanPrior.Scaled)) refs.add(Registry.VMP);
        } else {
            refs.add(mixture ? Registry.BLEI + " (in D dimensions)" : Registry.PRML + ", §2.3.6");
            if (dirichlet) refs.add(Registry.PRML + ", §10.2 (Dirichlet weights)");
        }
        return refs;
    }

    /** The factors of q: the means (unless fixed), the precisions when they are learned; fixedMeans is the --set value. */
    public static List<PlanSymbols.Factor> factors(NormalPrior.MvPrecision precision, boolean joint, String fixedMeans, PlanSymbols s) {
        List<PlanSymbols.Factor> out = new ArrayList<>();
        boolean wishart = precision instanceof NormalPrior.MvPrecision.Wishart;
        if (fixedMeans != null) {
            out.add(new PlanSymbols.Factor(s.compAt(), "fixed", s.m() + " = " + fixedMeans + " (set with --set)", true));
        } else if (joint) {
            out.add(new PlanSymbols.Factor(s.compAt() + ", " + s.precAt(), "Normal-Wishart", "MvNormal(" + s.m() + ", inv(" + s.beta()
                    + "·" + s.precAt() + ")) · Wishart(" + s.nu() + ", " + s.w() + ")", false));
        } else {
            out.add(new PlanSymbols.Factor(s.compAt(), "MvNormal", s.m() + ", " + s.v(), false));
        }
        if (wishart && (!joint || fixedMeans != null)) {
            out.add(new PlanSymbols.Factor(s.precAt(), "Wishart", s.nu() + ", " + s.w(), false));
        }
        return out;
    }

    /** The updates of q(mu) and q(Lambda), or of the joint block, in the plan's order. */
    public static List<PlanSymbols.Step> updates(NormalPrior.MvMeanPrior meanPrior, NormalPrior.MvPrecision precision, boolean joint,
                                                 boolean fixedMean, PlanSymbols s) {
        List<PlanSymbols.Step> out = new ArrayList<>();
        boolean wishart = precision instanceof NormalPrior.MvPrecision.Wishart;
        String beta0 = meanPrior instanceof NormalPrior.MvMeanPrior.Scaled ? s.beta0() : null;
        String m = s.m(), v = s.v(), nk = s.nk(), sk = s.sk(), m0 = s.m0(), w = s.w(), nu = s.nu();
        String eLam = wishart ? nu + "·" + w : "inv(" + s.known() + ")";
        String outer = "Σ_" + s.i() + " " + s.sumPhi() + "(" + s.xi() + " − " + m + ")(" + s.xi() + " − " + m + ")ᵀ";
        String dm = "(" + m + " − " + m0 + ")(" + m + " − " + m0 + ")ᵀ";
        if (!fixedMean && joint) {
            List<String> eqs = new ArrayList<>(s.sums());
            eqs.add(s.beta() + " = " + beta0 + " + " + nk + ",   " + nu + " = " + s.nu0() + " + " + nk);
            eqs.add(m + " = (" + beta0 + "·" + m0 + " + " + sk + ") / " + s.beta());
            eqs.add("inv(" + w + ") = inv(" + s.w0() + ") + " + outer + " + " + beta0 + "·" + dm);
            eqs.add("(Bishop 2006, §10.2.1, with the sums written about the new mean)");
            out.add(new PlanSymbols.Step(s.compAt() + ", " + s.precAt(), s.meanRule() + "; with " + s.precRule() + ", as one block", eqs));
            return out;
        }
        if (!fixedMean) {
            List<String> eqs = new ArrayList<>(s.sums());
            if (beta0 != null) {
                eqs.add(v + " = inv((" + beta0 + " + " + nk + ")·" + eLam + ")");
                eqs.add(m + " = (" + beta0 + "·" + m0 + " + " + sk + ") / (" + beta0 + " + " + nk + ")");
            } else {
                eqs.add(v + " = inv(inv(" + s.v0() + ") + " + nk + "·" + eLam + ")");
                eqs.add(m + " = " + v + "·(inv(" + s.v0() + ")·" + m0 + " + " + eLam + "·" + sk + ")");
            }
            out.add(new PlanSymbols.Step(s.compAt(), s.meanRule(), eqs));
        }
        if (wishart) {
            List<String> eqs = new ArrayList<>();
            if (beta0 != null && fixedMean) {
                // the mean's prior MvNormal(m0, inv(beta0·Lambda[k])) at the fixed m[k] is a factor of Lambda[k] too
                eqs.add(nu + " = " + s.nu0() + " + " + nk + " + 1");
                eqs.add("inv(" + w + ") = inv(" + s.w0() + ") + " + outer + " + " + beta0 + "·" + dm);
            } else if (beta0 != null) {
                eqs.add(nu + " = " + s.nu0() + " + " + nk + " + 1");
                eqs.add("inv(" + w + ") = inv(" + s.w0() + ") + " + outer + " + " + nk + "·" + v + " + " + beta0 + "·(" + dm
                        + " + " + v + ")");
            } else {
                eqs.add(nu + " = " + s.nu0() + " + " + nk);
                eqs.add("inv(" + w + ") = inv(" + s.w0() + ") + " + outer + (fixedMean ? "" : " + " + nk + "·" + v));
            }
            out.add(new PlanSymbols.Step(s.precAt(), s.precRule(), eqs));
        }
        return out;
    }

    /**
     * E[diffᵀ·Lambda·diff] under q, where diff is (y − mu[k]) or (mu[k] − y) for a fixed y, written at the mean m[k]:
     * the quadratic form at m[k] plus the mean's spread. Lambda is the likelihood's known precision inv(Sigma), or a
     * Wishart's with E[Lambda[k]] = nu[k]·W[k]; under the joint q(mu[k], Lambda[k]) the spread is D/beta[k] (Bishop
     * 2006, (10.64)), under q(mu[k])q(Lambda[k]) it is tr(E[Lambda[k]]·V[k]).
     */
    private static String quadratic(NormalPrior.MvPrecision precision, boolean joint, boolean fixedMean, PlanSymbols s, String diff) {
        if (!(precision instanceof NormalPrior.MvPrecision.Wishart)) {
            String lam = "inv(" + s.known() + ")";
            return diff + "ᵀ·" + lam + "·" + diff + (fixedMean ? "" : " + tr(" + lam + "·" + s.v() + ")");
        }
        String spread = fixedMean ? "" : joint ? " + D/" + s.beta() : " + " + s.nu() + "·tr(" + s.w() + "·" + s.v() + ")";
        return s.nu() + "·" + diff + "ᵀ·" + s.w() + "·" + diff + spread;
    }

    /** E[log p(x[i] | component k)] up to −D/2·log 2π, as the exponent of φ writes it. */
    public static String expectedLogLik(NormalPrior.MvPrecision precision, boolean joint, boolean fixedMean, PlanSymbols s) {
        String quad = "½(" + quadratic(precision, joint, fixedMean, s, "(" + s.xi() + " − " + s.m() + ")") + ")";
        return precision instanceof NormalPrior.MvPrecision.Wishart ? "½E[log|" + s.precAt() + "|] − " + quad : "− " + quad;
    }

    /** The ELBO's terms of the likelihood, the means and the precisions, and the expectations they use. */
    public static List<PlanSymbols.Term> elboTerms(NormalPrior.MvMeanPrior meanPrior, NormalPrior.MvPrecision precision, boolean joint,
                                                   boolean fixedMean, PlanSymbols s) {
        List<PlanSymbols.Term> out = new ArrayList<>();
        boolean wishart = precision instanceof NormalPrior.MvPrecision.Wishart;
        String lam = s.prec(), comp = s.comp(), nu = s.nu(), w = s.w();
        String eld = wishart ? "E[log|" + s.precAt() + "|]" : "log|inv(" + s.known() + ")|";
        String eL = wishart ? "E[" + s.precAt() + "]" : "inv(" + s.known() + ")";
        out.add(new PlanSymbols.Term("E[log p(" + s.x() + " | " + s.given() + ")]", s.phiSum() + "[½" + eld + " − D/2·log 2π − ½("
                + quadratic(precision, joint, fixedMean, s, "(" + s.xi() + " − " + s.m() + ")") + ")]"));
        String dm = "(" + s.m() + " − " + s.m0() + ")";
        if (meanPrior instanceof NormalPrior.MvMeanPrior.Scaled) {
            String b0 = s.beta0();
            out.add(new PlanSymbols.Term("E[log p(" + comp + " | " + lam + ")]", s.sumK().apply("D/2·log(" + b0 + "/2π) + ½" + eld
                    + " − ½·" + b0 + "·(" + quadratic(precision, joint, fixedMean, s, dm) + ")")));
        } else {
            // the prior's own covariance S0: E[(mu − m0)ᵀinv(S0)(mu − m0)] = (m − m0)ᵀinv(S0)(m − m0) + tr(inv(S0)·V)
            String s0 = s.s0();
            out.add(new PlanSymbols.Term("E[log p(" + comp + ")]", s.sumK().apply("−D/2·log 2π − ½ log|" + s0 + "| − ½(" + dm
                    + "ᵀ·inv(" + s0 + ")·" + dm + (fixedMean ? "" : " + tr(inv(" + s0 + ")·" + s.v() + ")") + ")")));
        }
        if (wishart) {
            // + log B(W0, nu0) (Bishop 2006, (10.74)), with Bishop's Wishart normaliser B (B.79) written out
            String nu0 = s.nu0(), w0 = s.w0();
            out.add(new PlanSymbols.Term("E[log p(" + lam + ")]", s.sumK().apply("−" + nu0 + "/2·log|" + w0 + "| − " + nu0
                    + "·D/2·log 2 − D(D − 1)/4·log π − Σ_d log Γ((" + nu0 + " + 1 − d)/2) + (" + nu0 + " − D − 1)/2·" + eld
                    + " − ½tr(inv(" + w0 + ")·" + eL + ")") + "   (the terms before E[log|" + s.precAt() + "|] are log B(" + w0 + ", "
                    + nu0 + "), Bishop 2006, (B.79), (10.74))"));
        }
        String hw = "H[Wishart(" + nu + ", " + w + ")]";
        if (!fixedMean) {
            if (joint) {
                out.add(new PlanSymbols.Term("H[q(" + comp + ", " + lam + ")]", s.sumK().apply(hw + " + D/2·log(2πe) − D/2·log "
                        + s.beta() + " − ½" + eld)));
            } else {
                out.add(new PlanSymbols.Term("H[q(" + comp + ")]", s.sumK().apply("D/2·log(2πe) + ½ log|" + s.v() + "|")));
            }
        }
        if (wishart && (!joint || fixedMean)) out.add(new PlanSymbols.Term("H[q(" + lam + ")]", s.sumK().apply(hw)));
        if (wishart) {
            out.add(new PlanSymbols.Term("where", eL + " = " + nu + "·" + w + ",  " + eld + " = Σ_d ψ((" + nu + " + 1 − d)/2) + D·log 2 + log|"
                    + w + "|   (Bishop 2006, (10.65)),"));
            // −log B(W, nu) − (nu − D − 1)/2·E[log|Lambda|] + nu·D/2 (B.82), with B (B.79) written out
            out.add(new PlanSymbols.Term("where", hw + " = " + nu + "/2·log|" + w + "| + " + nu + "·D/2·log 2 + D(D − 1)/4·log π + Σ_d log Γ(("
                    + nu + " + 1 − d)/2) − (" + nu + " − D − 1)/2·" + eld + " + " + nu + "·D/2   (the terms before E[log|" + s.precAt()
                    + "|] are −log B(" + w + ", " + nu + "), Bishop 2006, (B.79), (B.82))"));
        }
        return out;
    }

    /** The joint block's sufficient statistics, for the derivation: (Lambda·mu, muᵀ·Lambda·mu, Lambda, log|Lambda|). */
    public static String jointStatistics(PlanSymbols s) {
        String mu = s.compAt(), lam = s.precAt();
        return "(" + lam + "·" + mu + ", " + mu + "ᵀ·" + lam + "·" + mu + ", " + lam + ", log|" + lam + "|)";
    }

    /**
     * Each factor's contribution to the joint block's natural parameters, for the derivation, and
     * the family that results; {@code plain} writes q's parameters without the component index.
     */
    public static List<String> jointNatural(PlanSymbols s, PlanSymbols plain, String meanPrior, String precPrior, String likelihood) {
        String b0 = s.beta0(), m0 = s.m0(), sum = "Σ_" + s.i() + " " + s.sumPhi();
        List<String> out = new ArrayList<>();
        out.add("from the prior " + meanPrior + ": (" + b0 + "·" + m0 + ", −" + b0 + "/2, −½·" + b0 + "·" + m0 + "·" + m0 + "ᵀ, 1/2)");
        out.add("from the prior " + precPrior + ": (0, 0, −½·inv(" + s.w0() + "), (" + s.nu0() + " − D − 1)/2)");
        out.add("from " + likelihood + ": + (" + s.sk() + ", −" + s.nk() + "/2, −½·" + sum + s.xi() + "·" + s.xi() + "ᵀ, " + s.nk() + "/2)");
        out.add("so q(" + s.compAt() + ", " + s.precAt() + ") is MvNormal(" + plain.m() + ", inv(" + plain.beta() + "·" + s.prec()
                + "))·Wishart(" + plain.nu() + ", " + plain.w() + "), the same family as the prior (Bishop 2006, §10.2.1)");
        return out;
    }
}
