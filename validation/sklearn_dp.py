#!/usr/bin/env python3
"""Compare cavi's truncated Dirichlet-process mixture with scikit-learn's
BayesianGaussianMixture(weight_concentration_prior_type="dirichlet_process").

Both fit models/dp-mixture.vi on models/data/blobs2d.csv with the same priors:
StickBreaking(alpha = 1, K = 10) weights (scikit-learn: weight_concentration_prior = 1),
mu[k] | Lambda[k] ~ MvNormal(0, inv(1 * Lambda[k])) (mean_prior = 0, mean_precision_prior = 1),
Lambda[k] ~ Wishart(nu0 = 2, W0 = I) (degrees_of_freedom_prior = 2, covariance_prior = inv(W0) = I).

The stick-breaking ELBO is not invariant to the order of the components, so the two cannot be
compared by sorting the best of independent restarts. Instead both start from the same
responsibilities: cavi fits (best of 20 restarts), its components are put back in the
sticks' order (the "stick" field of q.pi), the responsibilities are computed from cavi's q
with the textbook E-step written here, and scikit-learn starts from those responsibilities
(its own M-step first) and runs its EM to convergence. If the two implement the same updates,
scikit-learn stays at cavi's fixed point: means, covariances (inv(E[Lambda])), the sticks'
Beta parameters and the weights must agree to 1e-4 relative. scikit-learn's weights_ are
E[pi] renormalised over the K components; cavi's q.pi.mean is E[pi] itself (it sums to less
than 1: the rest is the mass past the truncation), so cavi's is renormalised to compare.

Run from the repository root:  /usr/bin/python3 validation/sklearn_dp.py
(needs Debian's python3-sklearn; writes nothing, prints the comparison)."""
import json
import os
import subprocess
import sys
import warnings

import numpy as np
from scipy.special import digamma
from sklearn.exceptions import ConvergenceWarning
from sklearn.mixture import BayesianGaussianMixture

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MODEL = os.path.join(ROOT, "models", "dp-mixture.vi")
DATA = os.path.join(ROOT, "models", "data", "blobs2d.csv")
K, D, ALPHA, TOL = 10, 2, 1.0, 1e-4

out = subprocess.run([os.path.join(ROOT, "cavi"), "run", MODEL, "--json", "--restarts", "20",
                      "--tol", "1e-13", "--max-iter", "20000"], check=True, capture_output=True, text=True).stdout
fit = json.loads(out)
q = fit["q"]
# components are reported sorted by E[mu]; put them back in the sticks' (the model's) order
order = np.argsort(np.array(q["pi"]["stick"]))
m = np.array(q["mu"]["mean"])[order]
beta = np.array(q["mu"]["beta"])[order]
nu = np.array(q["Lambda"]["nu"])[order]
W = np.array(q["Lambda"]["W"])[order]
cavi_covs = np.array([np.linalg.inv(p) for p in np.array(q["Lambda"]["expected_precision"])[order]])
a = np.array(q["pi"]["a"])[order]
b = np.array(q["pi"]["b"])[order]
cavi_mean = np.array(q["pi"]["mean"])[order]

x = np.loadtxt(DATA, delimiter=",", skiprows=1)
n = len(x)

# the E-step from cavi's q: log phi_ik = E[log pi_k] + ½E[log|Lambda_k|] − D/(2 beta_k) − nu_k/2 (x−m_k)ᵀW_k(x−m_k)
elog_v = digamma(a) - digamma(a + b)
elog_1mv = digamma(b) - digamma(a + b)
elog_pi = elog_v + np.concatenate(([0.0], np.cumsum(elog_1mv)[:-1]))
log_phi = np.empty((n, K))
for k in range(K):
    elogdet = sum(digamma((nu[k] + 1 - d) / 2) for d in range(1, D + 1)) + D * np.log(2) + np.linalg.slogdet(W[k])[1]
    diff = x - m[k]
    quad = np.einsum("ij,jk,ik->i", diff, W[k], diff)
    log_phi[:, k] = elog_pi[k] + 0.5 * elogdet - D / (2 * beta[k]) - 0.5 * nu[k] * quad
log_phi -= log_phi.max(axis=1, keepdims=True)
resp = np.exp(log_phi)
resp /= resp.sum(axis=1, keepdims=True)


class FromResponsibilities(BayesianGaussianMixture):
    """scikit-learn's own model and EM, started by its own M-step from given responsibilities."""

    def _initialize_parameters(self, X, random_state):
        self._initialize(X, resp)


common = dict(n_components=K, covariance_type="full", weight_concentration_prior_type="dirichlet_process",
              weight_concentration_prior=ALPHA, mean_precision_prior=1.0, mean_prior=np.zeros(D),
              degrees_of_freedom_prior=2.0, covariance_prior=np.eye(D), reg_covar=0.0)
with warnings.catch_warnings():
    warnings.simplefilter("ignore", ConvergenceWarning)
    sk = FromResponsibilities(tol=1e-13, max_iter=20000, n_init=1, random_state=0, **common).fit(x)
    # for information: scikit-learn on its own, best of 20 k-means starts
    alone = max((BayesianGaussianMixture(tol=1e-10, max_iter=5000, n_init=1, init_params="kmeans", random_state=s,
                                         **common).fit(x) for s in range(20)), key=lambda g: g.lower_bound_)
sk_a, sk_b = sk.weight_concentration_


def rel(u, v):
    return float(np.max(np.abs(u - v) / np.maximum(np.abs(v), 1e-12 + 1e-3 * np.max(np.abs(v)))))


print(f"data: models/data/blobs2d.csv (n = {n}, D = {D}), StickBreaking(alpha = {ALPHA:g}, K = {K})")
print(f"cavi: ELBO {fit['elbo']:.6f}, converged {fit['converged']} after {fit['iterations']} sweeps (best of 20 restarts)")
print(f"scikit-learn {__import__('sklearn').__version__} from cavi's responsibilities: converged {sk.converged_} "
      f"after {sk.n_iter_} iterations")
cavi_w = cavi_mean / cavi_mean.sum()
rows = (("sticks a", a, sk_a), ("sticks b", b, sk_b), ("weights", cavi_w, sk.weights_),
        ("means", m, sk.means_), ("covariances", cavi_covs, sk.covariances_))
for name, u, v in rows:
    print(f"{name:12s} max relative difference {rel(u, v):.2e}")
print(f"cavi E[pi] sums to {cavi_mean.sum():.8f} (mass past the truncation {1 - cavi_mean.sum():.3g})")
print("in the sticks' order:")
print("cavi weights   ", np.array2string(cavi_w, precision=6, max_line_width=200))
print("sklearn weights", np.array2string(sk.weights_, precision=6, max_line_width=200))
print("cavi a         ", np.array2string(a, precision=6, max_line_width=200))
print("sklearn a      ", np.array2string(sk_a, precision=6, max_line_width=200))
used = np.flatnonzero(cavi_mean > 0.01)
print("cavi means (weight > 1%)   ", np.array2string(m[used], precision=6).replace("\n", " "))
print("sklearn means (weight > 1%)", np.array2string(sk.means_[used], precision=6).replace("\n", " "))
big = np.sort(alone.weights_[alone.weights_ > 0.01])[::-1]
print(f"for information, scikit-learn alone (best of 20 k-means starts): {len(big)} components above 1%, "
      f"weights {np.array2string(big, precision=4)}")
worst = max(rel(u, v) for _, u, v in rows)
print("AGREE" if worst <= TOL else "DISAGREE", f"(tolerance {TOL:g} relative)")
sys.exit(0 if worst <= TOL else 1)
