#!/usr/bin/python3
"""numpy baseline for EvaluateBench: the paired bootstrap of an accuracy difference and a log-loss
difference on synthetic binary data (default 1,000,000 rows, 1000 resamples).

    /usr/bin/python3 scripts/bench/bootstrap_numpy.py [rows] [resamples]

Two resampling schemes, each timed over all resamples:
  poisson     : w = rng.poisson(1.0, n) per resample; delta = (w @ d) / w.sum()
                (the same computation the Java engine does per row)
  multinomial : idx = rng.integers(0, n, n) per resample; delta = d[idx].mean()
                (the classic bootstrap)
where d is the per-row difference (correct_c - correct_b, or loss_c - loss_b).
For accuracy it also times the sufficient-statistics shortcut the Java engine uses
(counts of the four (candidate correct, baseline correct) outcomes, one rng.poisson(count)
each per resample), to show how much of the speed-up is the algorithm rather than the language.
Prints seconds in total and per resample.
"""
import sys
import time

import numpy as np


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    resamples = int(sys.argv[2]) if len(sys.argv) > 2 else 1000
    rng = np.random.default_rng(7)
    y = (rng.random(n) < 0.3).astype(np.int64)
    signal = np.where(y == 1, 0.25, -0.25)
    pc = np.clip(0.5 + signal + 0.25 * rng.standard_normal(n), 0, 1)
    pb = np.clip(0.5 + 0.9 * signal + 0.25 * rng.standard_normal(n), 0, 1)
    correct_c = ((pc > 0.5).astype(np.int64) == y).astype(np.float64)
    correct_b = ((pb > 0.5).astype(np.int64) == y).astype(np.float64)
    eps = 1e-15

    def loss(p):
        p1 = np.clip(p, eps, 1 - eps)
        p0 = np.clip(1 - p, eps, 1 - eps)
        s = p0 + p1
        return -np.log(np.where(y == 1, p1, p0) / s)

    d_acc = correct_c - correct_b
    d_ll = loss(pc) - loss(pb)
    print(f"rows={n} resamples={resamples} numpy={np.__version__}")

    def poisson(d):
        r = np.random.default_rng(1)
        out = np.empty(resamples)
        for b in range(resamples):
            w = r.poisson(1.0, n)
            out[b] = (w @ d) / w.sum()
        return out

    def multinomial(d):
        r = np.random.default_rng(1)
        out = np.empty(resamples)
        for b in range(resamples):
            idx = r.integers(0, n, n)
            out[b] = d[idx].mean()
        return out

    def sufficient(d):
        cc = correct_c.astype(np.int64)
        cb = correct_b.astype(np.int64)
        counts = np.bincount(2 * cc + cb, minlength=4)
        r = np.random.default_rng(1)
        out = np.empty(resamples)
        for b in range(resamples):
            w = r.poisson(counts)
            out[b] = (w[2] - w[1]) / w.sum()
        return out

    for name, fn, d in [("accuracy diff, sufficient statistics", sufficient, d_acc),
                        ("accuracy diff, poisson weights", poisson, d_acc),
                        ("accuracy diff, multinomial indexes", multinomial, d_acc),
                        ("log-loss diff, poisson weights", poisson, d_ll),
                        ("log-loss diff, multinomial indexes", multinomial, d_ll)]:
        start = time.perf_counter()
        reps = fn(d)
        sec = time.perf_counter() - start
        lo, hi = np.percentile(reps, [2.5, 97.5])
        print(f"{name:<40} {sec:9.3f} s  {sec * 1000 / resamples:8.3f} ms/resample  CI [{lo:+.5f}, {hi:+.5f}] est {d.mean():+.5f}")


if __name__ == "__main__":
    main()
