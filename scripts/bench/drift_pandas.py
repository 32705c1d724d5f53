#!/usr/bin/python3
"""The pandas + numpy/scipy baseline for bench/drift.sh: the same drift report as dev.mlops.drift on the same CSV.

For every column of the reference profile (mlops.reference-profile/v1) it computes what DriftAnalyzer computes:
missing/count/mean/std/min/max, out-of-range counts, counts in the profile's bins (numeric) or categories,
PSI, Jensen-Shannon (scipy, natural log), chi-square (scipy chi2_contingency), and for numeric columns
KS (scipy ks_2samp) and Wasserstein (scipy) between the profile's sample and a 100,000-value sample of the column.

Usage: /usr/bin/python3 scripts/bench/drift_pandas.py PROFILE.json CURRENT.csv
Prints the end-to-end time (read_csv + analysis) and the analysis time on the columns already in memory.
"""
import json
import sys
import time

import numpy as np
import pandas as pd
from scipy.spatial.distance import jensenshannon
from scipy.stats import chi2_contingency, ks_2samp, wasserstein_distance

SAMPLE = 100_000


def psi(ref, cur):
    r = np.maximum(ref / ref.sum(), 0.0001)
    c = np.maximum(cur / cur.sum(), 0.0001)
    return float(np.sum((c - r) * np.log(c / r)))


def chi2(ref, cur):
    keep = (ref + cur) > 0
    if keep.sum() < 2:
        return 0.0, 1.0
    stat, p, _, _ = chi2_contingency(np.vstack([ref[keep], cur[keep]]))
    return float(stat), float(p)


def analyze(profile, df, rng):
    results = {}
    for col in profile["features"]:
        name = col["name"]
        s = df[name]
        out = {"missing": int(s.isna().sum())}
        if col["type"] == "numeric":
            x = s.to_numpy(dtype=np.float64)
            x = x[~np.isnan(x)]
            out.update(count=int(x.size), mean=float(x.mean()), std=float(x.std()), min=float(x.min()), max=float(x.max()),
                       below=int((x < col["min"]).sum()), above=int((x > col["max"]).sum()))
            edges = np.asarray(col["edges"])
            cur = np.bincount(np.searchsorted(edges, x, side="left"), minlength=edges.size + 1).astype(float)
            ref = np.asarray(col["binCounts"], dtype=float)
            sample = x if x.size <= SAMPLE else rng.choice(x, SAMPLE, replace=False)
            refs = np.asarray(col["sample"])
            ks = ks_2samp(refs, sample)
            w = wasserstein_distance(refs, sample)
            out.update(ks=float(ks.statistic), ks_p=float(ks.pvalue), wasserstein=float(w / max(col["std"], 0.001)))
        else:
            counts = s.value_counts()
            cats = col["categories"]
            cur = np.array([counts.get(c, 0) for c in cats] + [counts.sum() - sum(counts.get(c, 0) for c in cats)], dtype=float)
            ref = np.array(col["categoryCounts"] + [col["otherCount"]], dtype=float)
            out.update(count=int(counts.sum()), new=[c for c in counts.index if c not in set(cats)][:20])
        out.update(psi=psi(ref, cur), jensen_shannon=float(jensenshannon(ref, cur)))
        out["chi_square"], out["chi_square_p"] = chi2(ref, cur)
        results[name] = out
    return results


def main():
    profile = json.load(open(sys.argv[1]))
    rng = np.random.default_rng(1)
    t0 = time.perf_counter()
    dtypes = {c["name"]: ("float64" if c["type"] == "numeric" else "object") for c in profile["features"]}
    df = pd.read_csv(sys.argv[2], dtype=dtypes)
    t1 = time.perf_counter()
    results = analyze(profile, df, rng)
    t2 = time.perf_counter()
    rows = len(df)
    drifted = sum(1 for r in results.values() if r.get("wasserstein", 0) >= 0.1 or r["jensen_shannon"] >= 0.1)
    print(f"pandas csv end-to-end: {rows} rows in {t2 - t0:.2f} s ({rows / (t2 - t0):.0f} rows/s); read_csv {t1 - t0:.2f} s; drifted {drifted}")
    print(f"pandas in-memory: analysis of {rows} rows in {t2 - t1:.3f} s ({rows / (t2 - t1):.0f} rows/s)")


if __name__ == "__main__":
    main()
