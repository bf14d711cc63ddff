#!/usr/bin/env python3
"""Time per sweep (cavi) and per iteration (scikit-learn's BayesianGaussianMixture) on the same data.

For each (n, D, K): cavi simulates data from bench/bishop.vi into a CSV, then both fit it:
cavi with one restart and --tol 0 (every sweep runs; the JSON's seconds / sweeps is the time per
sweep, ELBO included), scikit-learn with the same priors, timed at 21 and at 1 iterations so that
the difference / 20 is the time per iteration without its initialisation.
Run from the repository root:  /usr/bin/python3 validation/sklearn_speed.py"""
import json
import os
import subprocess
import tempfile
import time
import warnings

import numpy as np
from sklearn.mixture import BayesianGaussianMixture

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CAVI = os.path.join(ROOT, "cavi")
MODEL = os.path.join(ROOT, "bench", "bishop.vi")
warnings.filterwarnings("ignore")

for n, d, k in ((100_000, 2, 10), (100_000, 10, 10)):
    with tempfile.TemporaryDirectory() as tmp:
        data = os.path.join(tmp, "x.csv")
        with open(data, "w") as f:
            subprocess.run([CAVI, "simulate", MODEL, "--n", str(n), "--set", f"K={k}", "--set", f"D={d}", "--seed", "3"],
                           check=True, stdout=f)
        out = subprocess.run([CAVI, "run", MODEL, "--data", f"x={data}", "--set", f"K={k}", "--set", f"D={d}",
                              "--json", "--restarts", "1", "--tol", "0", "--max-iter", "30"],
                             check=True, capture_output=True, text=True).stdout
        fit = json.loads(out)
        cavi_ms = 1000 * fit["seconds"] / fit["sweeps"]
        x = np.loadtxt(data, delimiter=",", skiprows=1)

    def run(iters):
        m = BayesianGaussianMixture(n_components=k, covariance_type="full",
                                    weight_concentration_prior_type="dirichlet_distribution",
                                    weight_concentration_prior=1.0, mean_precision_prior=0.01, mean_prior=np.zeros(d),
                                    degrees_of_freedom_prior=float(d), covariance_prior=np.eye(d), reg_covar=0.0,
                                    tol=0.0, max_iter=iters, init_params="random", random_state=0)
        t = time.perf_counter()
        m.fit(x)
        return time.perf_counter() - t

    run(2)  # warm-up
    sk_ms = 1000 * min(run(21) - run(1) for _ in range(3)) / 20
    print(f"n = {n}, D = {d}, K = {k}: cavi {cavi_ms:.1f} ms/sweep ({1e6 * cavi_ms / (n * k):.1f} ns per point·component), "
          f"scikit-learn {sk_ms:.1f} ms/iteration ({1e6 * sk_ms / (n * k):.1f} ns per point·component), "
          f"ratio {sk_ms / cavi_ms:.1f}x")
