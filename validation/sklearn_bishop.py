#!/usr/bin/env python3
"""Compare cavi's Bishop (2006, section 10.2) mixture with scikit-learn's BayesianGaussianMixture.

Both fit models/bishop-gmm.vi on models/data/blobs2d.csv with the same priors:
Dirichlet(0.1) weights, mu[k] | Lambda[k] ~ MvNormal(0, inv(1 * Lambda[k])),
Lambda[k] ~ Wishart(nu0 = 2, W0 = I) (scikit-learn: covariance_prior = inv(W0) = I).
The best solutions, sorted by the first coordinate of the mean, must agree to 1e-4
relative in weights, means and covariances (scikit-learn's covariances_ = inv(E[Lambda])).

Run from the repository root:  /usr/bin/python3 validation/sklearn_bishop.py
(needs Debian's python3-sklearn; writes nothing, prints the comparison)."""
import json
import os
import subprocess
import sys

import numpy as np
from sklearn.mixture import BayesianGaussianMixture

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MODEL = os.path.join(ROOT, "models", "bishop-gmm.vi")
DATA = os.path.join(ROOT, "models", "data", "blobs2d.csv")
K, TOL = 4, 1e-4

out = subprocess.run([os.path.join(ROOT, "cavi"), "run", MODEL, "--json", "--restarts", "20",
                      "--tol", "1e-13", "--max-iter", "20000"], check=True, capture_output=True, text=True).stdout
fit = json.loads(out)
q = fit["q"]
cavi_means = np.array(q["mu"]["mean"])
cavi_weights = np.array(q["pi"]["mean"])
cavi_covs = np.array([np.linalg.inv(p) for p in q["Lambda"]["expected_precision"]])

x = np.loadtxt(DATA, delimiter=",", skiprows=1)
best = None
for seed in range(20):
    model = BayesianGaussianMixture(
        n_components=K, covariance_type="full", weight_concentration_prior_type="dirichlet_distribution",
        weight_concentration_prior=0.1, mean_precision_prior=1.0, mean_prior=np.zeros(2),
        degrees_of_freedom_prior=2.0, covariance_prior=np.eye(2), reg_covar=0.0,
        tol=1e-13, max_iter=20000, n_init=1, init_params="kmeans", random_state=seed).fit(x)
    if best is None or model.lower_bound_ > best.lower_bound_:
        best = model
order = np.argsort(best.means_[:, 0])
sk_means, sk_weights, sk_covs = best.means_[order], best.weights_[order], best.covariances_[order]


def rel(a, b):
    return float(np.max(np.abs(a - b) / np.maximum(np.abs(b), 1e-12 + 1e-3 * np.max(np.abs(b)))))


print(f"data: {DATA} (n = {len(x)}, D = 2), K = {K}")
print(f"cavi: ELBO {fit['elbo']:.6f}, converged {fit['converged']} after {fit['iterations']} sweeps")
print(f"scikit-learn {__import__('sklearn').__version__}: converged {best.converged_} after {best.n_iter_} iterations")
for name, a, b in (("weights", cavi_weights, sk_weights), ("means", cavi_means, sk_means),
                   ("covariances", cavi_covs, sk_covs)):
    print(f"{name:12s} max relative difference {rel(a, b):.2e}")
print("cavi weights  ", np.array2string(cavi_weights, precision=6))
print("sklearn weights", np.array2string(sk_weights, precision=6))
print("cavi means    ", np.array2string(cavi_means, precision=6).replace("\n", " "))
print("sklearn means ", np.array2string(sk_means, precision=6).replace("\n", " "))
worst = max(rel(cavi_weights, sk_weights), rel(cavi_means, sk_means), rel(cavi_covs, sk_covs))
print("AGREE" if worst <= TOL else "DISAGREE", f"(tolerance {TOL:g} relative)")
sys.exit(0 if worst <= TOL else 1)
