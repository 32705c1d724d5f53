#!/usr/bin/python3
"""Known answers for dev.mlops.drift.DriftStatistics, computed by scipy on seeded samples.

Run: /usr/bin/python3 scripts/known-answers/drift_vectors.py
Writes core/src/test/resources/drift/known-answers.json (committed); DriftKnownAnswersTest compares.
Needs Debian python3-scipy and python3-numpy.
"""
import json
import os

import numpy as np
import scipy
from scipy.spatial.distance import jensenshannon
from scipy.stats import chi2_contingency, ks_2samp, wasserstein_distance

rng = np.random.default_rng(20250101)
out = {"generator": "scripts/known-answers/drift_vectors.py", "scipy": scipy.__version__, "numpy": np.__version__,
       "ks": [], "wasserstein": [], "jensen_shannon": [], "chi_square": [], "z_test": [], "psi": []}


def r(a):
    return [float(x) for x in a]


# Two-sample KS: exact p (max(n, m) <= 10000) and asymptotic (above), with and without a shift, one case with ties.
for n, m, shift, scale in [(20, 30, 0.0, 1.0), (50, 50, 0.5, 1.0), (200, 150, 0.1, 1.0), (1000, 800, 0.0, 1.3),
                           (5000, 8000, 0.03, 1.0), (5000, 20000, 0.05, 1.0), (3000, 12000, 0.0, 1.0)]:
    a = np.round(rng.normal(0, 1, n), 6)
    b = np.round(rng.normal(shift, scale, m), 6)
    res = ks_2samp(a, b)
    out["ks"].append({"a": r(a), "b": r(b), "statistic": float(res.statistic), "p_value": float(res.pvalue),
                      "method": "exact" if max(n, m) <= 10000 else "asymp"})
ties_a = rng.integers(0, 8, 60).astype(float)
ties_b = rng.integers(1, 9, 70).astype(float)
res = ks_2samp(ties_a, ties_b)
out["ks"].append({"a": r(ties_a), "b": r(ties_b), "statistic": float(res.statistic), "p_value": float(res.pvalue), "method": "exact-ties"})

for n, m in [(10, 17), (500, 700), (5000, 4000)]:
    a = np.round(rng.gamma(2.0, 1.5, n), 6)
    b = np.round(rng.gamma(2.2, 1.4, m), 6)
    out["wasserstein"].append({"a": r(a), "b": r(b), "distance": float(wasserstein_distance(a, b))})

for k in [2, 5, 21]:
    p = rng.integers(0, 500, k).astype(float)
    q = rng.integers(0, 500, k).astype(float)
    p[0] = 0.0  # an empty bin on one side
    out["jensen_shannon"].append({"p": r(p), "q": r(q), "distance": float(jensenshannon(p, q))})

for k in [2, 3, 6]:
    ref = rng.integers(50, 2000, k)
    cur = rng.integers(10, 300, k)
    chi2, p, dof, _ = chi2_contingency(np.vstack([ref, cur]))  # Yates' correction applies when dof == 1 (scipy default)
    out["chi_square"].append({"reference": r(ref), "current": r(cur), "statistic": float(chi2), "p_value": float(p), "dof": int(dof)})

for x1, n1, x2, n2 in [(300, 1000, 330, 1000), (40, 90, 61, 110), (5000, 100000, 70, 1200)]:
    table = np.array([[x1, n1 - x1], [x2, n2 - x2]])
    chi2, p, _, _ = chi2_contingency(table, correction=False)  # equals the pooled two-proportion z-test: z^2 = chi2
    out["z_test"].append({"x1": x1, "n1": n1, "x2": x2, "n2": n2, "z_squared": float(chi2), "p_value": float(p)})

for k in [10, 20]:
    ref = rng.integers(0, 1000, k).astype(float)
    cur = rng.integers(0, 1000, k).astype(float)
    ref[1] = 0.0
    rs = np.maximum(ref / ref.sum(), 0.0001)
    cs = np.maximum(cur / cur.sum(), 0.0001)
    out["psi"].append({"reference": r(ref), "current": r(cur), "psi": float(np.sum((cs - rs) * np.log(cs / rs)))})

target = os.path.join(os.path.dirname(__file__), "..", "..", "core", "src", "test", "resources", "drift", "known-answers.json")
with open(target, "w") as f:
    json.dump(out, f)
print("wrote", os.path.normpath(target))
