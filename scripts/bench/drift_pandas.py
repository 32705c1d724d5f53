#!/usr/bin/python3
"""The pandas + numpy/scipy baseline for bench/drift.sh: the same drift report as dev.mlops.drift on the same CSV.

For every column of the reference profile (mlops.reference-profile/v1) it computes what DriftAnalyzer computes, by
the same method, vectorised:
missing/count/mean/std/min/max, out-of-range counts, counts in the profile's bins (numeric) or categories,
PSI, Jensen-Shannon (scipy, natural log), chi-square (scipy chi2_contingency), and for numeric columns KS and
Wasserstein between the profile's sample and the WHOLE current column. Like the Java side it locates every value
among the sorted reference points once (np.searchsorted + bincount: counts per point and per gap, sums per gap) and
derives bins, range counts, the exact KS statistic (asymptotic p-value, limiting Kolmogorov distribution at
sqrt(n*m/(n+m))*D) and Wasserstein (exact except in gaps where the CDFs cross) from those counts. This is the fastest
honest numpy form: scipy.stats.ks_2samp / wasserstein_distance on the full 10M-value column give the same KS
statistic but sort the column, which is several times slower (pass --scipy to time that instead).
Categorical columns are read as pandas' category dtype (dictionary-coded, like the Java in-memory columns).

Usage: /usr/bin/python3 scripts/bench/drift_pandas.py PROFILE.json CURRENT.csv [RESULTS.json] [--scipy]
Prints the end-to-end time (read_csv + analysis) and the analysis time on the columns already in memory.
"""
import json
import sys
import time

import numpy as np
import pandas as pd
from scipy.spatial.distance import jensenshannon
from scipy.stats import chi2_contingency, kstwobign, ks_2samp, wasserstein_distance


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


def points_of(col):
    sample = np.sort(np.asarray(col["sample"], dtype=np.float64))
    extra = list(col["edges"]) + list(col.get("values") or []) + [col["min"], col["max"]]
    return sample, np.unique(np.concatenate([sample, np.asarray(extra, dtype=np.float64)]))


def sketch_tests(sample, points, x):
    """KS and Wasserstein between the reference sample and all of x from counts per reference point and gap."""
    k = points.size
    left = np.searchsorted(points, x, side="left")
    eq = points[np.minimum(left, k - 1)] == x
    slot_counts = np.bincount(2 * left + eq, minlength=2 * k + 1).astype(np.int64)
    gap_sums = np.bincount(left[~eq], weights=x[~eq], minlength=k + 1)
    n, m = x.size, sample.size
    below = np.cumsum(slot_counts[0:2 * k:2] + np.concatenate([[0], slot_counts[1:2 * k - 1:2]]))
    at_or_below = below + slot_counts[1::2]
    s_below = np.searchsorted(sample, points, side="left")
    s_at = np.searchsorted(sample, points, side="right")
    d = float(max(np.max(np.abs(s_below / m - below / n)), np.max(np.abs(s_at / m - at_or_below / n))))
    p = float(kstwobign.sf(d * np.sqrt(n * m / (n + m))))
    gaps = slot_counts[0::2]
    w = (gaps[0] * points[0] - gap_sums[0]) / n + (gap_sums[k] - gaps[k] * points[k - 1]) / n
    width = np.diff(points)
    a = s_at[:-1] / m
    c0 = at_or_below[:-1] / n
    c1 = below[1:] / n
    integral = c0 * width + (gaps[1:k] * points[1:] - gap_sums[1:k]) / n
    lower = np.abs(a * width - integral)
    cross = (c0 < a) & (a < c1)
    t = np.where(cross, (a - c0) / np.where(c1 > c0, c1 - c0, 1), 0)
    linear = width * ((a - c0) * t + (c1 - a) * (1 - t)) / 2
    slack = 2 * width * np.minimum(a - c0, c1 - a)
    est = np.where(cross, np.minimum(np.maximum(linear, lower), lower + slack), lower)
    return d, p, float(w + est.sum()), slot_counts


def analyze(profile, df, use_scipy):
    results = {}
    for col in profile["features"]:
        name = col["name"]
        s = df[name]
        out = {"missing": int(s.isna().sum())}
        if col["type"] == "numeric":
            x = s.to_numpy(dtype=np.float64)
            x = x[~np.isnan(x)]
            out.update(count=int(x.size), mean=float(x.mean()), std=float(x.std()), min=float(x.min()), max=float(x.max()))
            sample, points = points_of(col)
            d, p, w, slot_counts = sketch_tests(sample, points, x)
            if use_scipy:
                ks = ks_2samp(sample, x, method="asymp")
                d, p, w = float(ks.statistic), float(ks.pvalue), float(wasserstein_distance(sample, x))
            # bins, out of range: from the counts per point and gap, as the Java side does
            edges = np.asarray(col["edges"], dtype=np.float64)
            slot_bin = np.searchsorted(edges, np.repeat(points, 2), side="left")
            slot_bin = np.concatenate([slot_bin, [edges.size]])
            cur = np.bincount(slot_bin, weights=slot_counts, minlength=edges.size + 1)
            lo = 2 * int(np.searchsorted(points, col["min"])) + 1
            hi = 2 * int(np.searchsorted(points, col["max"])) + 1
            out.update(below=int(slot_counts[:lo].sum()), above=int(slot_counts[hi + 1:].sum()))
            ref = np.asarray(col["binCounts"], dtype=float)
            out.update(ks=d, ks_p=p, wasserstein=w, wasserstein_normed=w / max(col["std"], 0.001))
        else:
            counts = s.value_counts()
            cats = col["categories"]
            known = [int(counts.get(c, 0)) for c in cats]
            cur = np.array(known + [int(counts.sum()) - sum(known)], dtype=float)
            ref = np.array(col["categoryCounts"] + [col["otherCount"]], dtype=float)
            cat_set = set(cats)
            out.update(count=int(counts.sum()), new=[c for c in counts.index if counts[c] > 0 and c not in cat_set][:20])
        out.update(psi=psi(ref, cur), jensen_shannon=float(jensenshannon(ref, cur)))
        out["chi_square"], out["chi_square_p"] = chi2(ref, cur)
        results[name] = out
    return results


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    use_scipy = "--scipy" in sys.argv
    profile = json.load(open(args[0]))
    t0 = time.perf_counter()
    dtypes = {c["name"]: ("float64" if c["type"] == "numeric" else "category") for c in profile["features"]}
    df = pd.read_csv(args[1], dtype=dtypes)
    t1 = time.perf_counter()
    results = analyze(profile, df, use_scipy)
    t2 = time.perf_counter()
    rows = len(df)
    drifted = sum(1 for r in results.values() if r.get("wasserstein_normed", 0) >= 0.1 or r["jensen_shannon"] >= 0.1)
    if len(args) > 2:
        json.dump(results, open(args[2], "w"), indent=1)
    print(f"pandas csv end-to-end: {rows} rows in {t2 - t0:.2f} s ({rows / (t2 - t0):.0f} rows/s); read_csv {t1 - t0:.2f} s; drifted {drifted}")
    print(f"pandas in-memory: analysis of {rows} rows in {t2 - t1:.3f} s ({rows / (t2 - t1):.0f} rows/s)")


if __name__ == "__main__":
    main()
