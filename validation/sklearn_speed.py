#!/usr/bin/env python3
"""Time per sweep (cavi) and per iteration (scikit-learn's BayesianGaussianMixture) on the same data.

For each (n, D, K, B): cavi simulates data from bench/bishop.vi into a CSV (B = 0.01: clusters far
apart; B = 1: clusters that overlap, so that every point has several components with φ > 0), then
both fit it with the same priors (B = 0.01), each timed in steady state:
- cavi by bench/sweep.sh on these data on both cores: the median of 20 timed sweeps (ELBO
  included) after 10 untimed ones that let the JIT compile the pass;
- scikit-learn at 21 and at 1 iterations, the difference / 20 being the time per iteration
  without its initialisation, best of three.
Run from the repository root:  /usr/bin/python3 validation/sklearn_speed.py"""
import os
import re
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

for n, d, k, b in ((100_000, 2, 10, 0.01), (100_000, 10, 10, 0.01), (100_000, 10, 10, 1)):
    with tempfile.TemporaryDirectory() as tmp:
        data = os.path.join(tmp, "x.csv")
        with open(data, "w") as f:
            subprocess.run([CAVI, "simulate", MODEL, "--n", str(n), "--set", f"K={k}", "--set", f"D={d}", "--set", f"B={b}", "--seed", "3"],
                           check=True, stdout=f)

        out = subprocess.run([os.path.join(ROOT, "bench", "sweep.sh"), str(n), str(k), "20", str(d), str(os.cpu_count()), data],
                             check=True, capture_output=True, text=True).stdout
        cavi_ms = float(re.search(r"ms per sweep: median ([0-9.]+)", out).group(1))
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
    print(f"n = {n}, D = {d}, K = {k}, {'overlapping' if b == 1 else 'separate'} clusters: cavi {cavi_ms:.1f} ms/sweep ({1e6 * cavi_ms / (n * k):.1f} ns per point·component), "
          f"scikit-learn {sk_ms:.1f} ms/iteration ({1e6 * sk_ms / (n * k):.1f} ns per point·component), "
          f"ratio {sk_ms / cavi_ms:.1f}x")
