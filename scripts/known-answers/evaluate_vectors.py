#!/usr/bin/python3
"""Known answers for dev.mlops.evaluate, computed with scikit-learn and scipy.

Writes core/src/test/resources/evaluate/known_answers.json: small deterministic test vectors and
the expected value of every metric, each stored with the call that produced it. The Java tests
(KnownAnswersTest) recompute every value and compare within the stated tolerance.

Run with Debian's packages (apt-get install -y python3-numpy python3-scipy python3-sklearn):

    /usr/bin/python3 scripts/known-answers/evaluate_vectors.py

The vectors are generated from fixed seeds, so re-running gives the same file byte for byte
with the same library versions (recorded under "versions").
"""
import json
import os
import sys

import numpy as np
import scipy
import sklearn
from scipy.stats import binomtest, chi2
from sklearn.metrics import (accuracy_score, confusion_matrix, log_loss, mean_absolute_error,
                             mean_squared_error, precision_recall_fscore_support, r2_score,
                             roc_auc_score, roc_curve)

OUT = os.path.join(os.path.dirname(__file__), "..", "..", "core", "src", "test", "resources",
                   "evaluate", "known_answers.json")


def value(v, call):
    return {"value": float(v), "call": call}


def classification_case(name, y, proba, note):
    y = np.asarray(y, dtype=int)
    proba = np.asarray(proba, dtype=float)
    k = proba.shape[1]
    labels = list(range(k))
    pred = np.argmax(proba, axis=1)
    p, r, f, s = precision_recall_fscore_support(y, pred, labels=labels, average=None, zero_division=0)
    mp, mr, mf, _ = precision_recall_fscore_support(y, pred, labels=labels, average="macro", zero_division=0)
    expected = {
        "accuracy": value(accuracy_score(y, pred), "accuracy_score(y_true, y_pred)"),
        "precision_macro": value(mp, "precision_recall_fscore_support(y_true, y_pred, labels=range(k), average='macro', zero_division=0)[0]"),
        "recall_macro": value(mr, "precision_recall_fscore_support(y_true, y_pred, labels=range(k), average='macro', zero_division=0)[1]"),
        "f1_macro": value(mf, "precision_recall_fscore_support(y_true, y_pred, labels=range(k), average='macro', zero_division=0)[2]"),
        "log_loss": value(log_loss(y, proba, eps=1e-15, labels=labels), "log_loss(y_true, proba, eps=1e-15, labels=range(k))"),
    }
    if k == 2:
        expected["roc_auc"] = value(roc_auc_score(y, proba[:, 1]), "roc_auc_score(y_true, proba[:, 1])")
    else:
        expected["roc_auc"] = value(roc_auc_score(y, proba, multi_class="ovr", average="macro", labels=labels),
                                    "roc_auc_score(y_true, proba, multi_class='ovr', average='macro', labels=range(k))")
    per_class = {
        "precision": [float(x) for x in p],
        "recall": [float(x) for x in r],
        "f1": [float(x) for x in f],
        "support": [int(x) for x in s],
        "call": "precision_recall_fscore_support(y_true, y_pred, labels=range(k), average=None, zero_division=0)",
    }
    cm = confusion_matrix(y, pred, labels=labels)
    case = {
        "name": name,
        "note": note,
        "classes": k,
        "y_true": [int(v) for v in y],
        "proba": [[float(v) for v in row] for row in proba],
        "y_pred_call": "np.argmax(proba, axis=1)",
        "expected": expected,
        "per_class": per_class,
        "confusion_matrix": {"value": cm.tolist(), "call": "confusion_matrix(y_true, y_pred, labels=range(k))"},
    }
    if k == 2:
        fpr, tpr, _ = roc_curve(y, proba[:, 1], drop_intermediate=False)
        case["roc_curve"] = {"fpr": [float(v) for v in fpr], "tpr": [float(v) for v in tpr],
                             "call": "roc_curve(y_true, proba[:, 1], drop_intermediate=False)"}
    return case


def regression_case(name, y, pred, note):
    y = np.asarray(y, dtype=float)
    pred = np.asarray(pred, dtype=float)
    return {
        "name": name,
        "note": note,
        "y_true": [float(v) for v in y],
        "y_pred": [float(v) for v in pred],
        "expected": {
            "rmse": value(np.sqrt(mean_squared_error(y, pred)), "np.sqrt(mean_squared_error(y_true, y_pred))"),
            "mae": value(mean_absolute_error(y, pred), "mean_absolute_error(y_true, y_pred)"),
            "r2": value(r2_score(y, pred), "r2_score(y_true, y_pred)  # force_finite=True"),
        },
    }


def mcnemar_case(b, c, n):
    d = b + c
    if d == 0:
        return {"b": b, "c": c, "n": n, "method": "exact_binomial", "statistic": 0.0, "pvalue": 1.0,
                "call": "no discordant pairs: p = 1"}
    if d < 25:
        k = min(b, c)
        return {"b": b, "c": c, "n": n, "method": "exact_binomial", "statistic": float(k),
                "pvalue": float(binomtest(k, d, 0.5).pvalue),
                "call": f"scipy.stats.binomtest({k}, {d}, 0.5).pvalue"}
    stat = (abs(b - c) - 1) ** 2 / d
    return {"b": b, "c": c, "n": n, "method": "chi_square_continuity", "statistic": float(stat),
            "pvalue": float(chi2.sf(stat, 1)),
            "call": f"scipy.stats.chi2.sf((abs({b} - {c}) - 1) ** 2 / {d}, 1)"}


def main():
    rng = np.random.RandomState(20240601)
    classification = []

    # 1. binary, hand-written: tied scores, exact 0 and 1 probabilities (log-loss clipping)
    p1 = [0.9, 0.8, 0.8, 0.7, 0.6, 0.6, 0.6, 0.5, 0.4, 0.4, 0.3, 0.2, 0.2, 0.1, 0.0, 1.0, 0.55, 0.45, 0.8, 0.3]
    y1 = [1, 1, 0, 1, 0, 1, 1, 0, 1, 0, 0, 0, 1, 0, 0, 1, 1, 0, 1, 1]
    classification.append(classification_case(
        "binary_ties_and_clipping", y1, [[1 - p, p] for p in p1],
        "tied scores (AUC ties count 1/2), probabilities exactly 0 and 1 (log-loss clipping)"))

    # 2. binary, random, scores rounded to 2 decimals (many ties)
    n = 500
    y2 = rng.binomial(1, 0.35, n)
    s2 = np.clip(0.35 + 0.3 * (y2 - 0.35) + rng.normal(0, 0.22, n), 0, 1).round(2)
    classification.append(classification_case("binary_random_rounded", y2, np.column_stack([1 - s2, s2]),
                                              "500 rows, seed 20240601, scores rounded to 0.01"))

    # 3. three classes, Dirichlet probabilities shifted toward the true class
    n = 300
    y3 = rng.randint(0, 3, n)
    a = rng.dirichlet([1.0, 1.0, 1.0], n)
    a[np.arange(n), y3] += 0.4
    p3 = a / a.sum(axis=1, keepdims=True)
    classification.append(classification_case("multiclass_3", y3, p3, "300 rows, 3 classes, rows sum to 1"))

    # 4. four classes, one class never predicted (precision 0 by zero_division), one-decimal ties
    n = 120
    y4 = rng.randint(0, 4, n)
    b = rng.dirichlet([2.0, 2.0, 2.0, 0.3], n)
    b[np.arange(n), y4] += 0.2
    b[:, 3] = np.minimum(b[:, 3], 0.05)
    p4 = b / b.sum(axis=1, keepdims=True)
    classification.append(classification_case("multiclass_4_never_predicted", y4, p4,
                                              "class 3 is never the argmax: its precision is 0 (zero_division=0)"))

    # 5. binary with rows that do not sum to 1 (log loss renormalises after clipping)
    n = 60
    y5 = rng.binomial(1, 0.5, n)
    p5 = rng.uniform(0.01, 0.99, (n, 2))
    classification.append(classification_case("binary_unnormalised_rows", y5, p5,
                                              "rows do not sum to 1: log_loss clips then renormalises"))

    regression = []
    n = 200
    x = rng.normal(0, 1, n)
    yr = 3.0 * x + 1.5 + rng.normal(0, 0.7, n)
    pr = 2.8 * x + 1.4 + rng.normal(0, 0.3, n)
    regression.append(regression_case("linear_noise", yr, pr, "200 rows, seed 20240601"))
    regression.append(regression_case("constant_target_imperfect", [2.0] * 5, [1.0, 2.0, 3.0, 2.0, 2.5],
                                      "constant target, imperfect: r2 = 0.0 (force_finite)"))
    regression.append(regression_case("constant_target_perfect", [2.0] * 4, [2.0] * 4,
                                      "constant target, perfect: r2 = 1.0 (force_finite)"))
    regression.append(regression_case("negative_r2", [1.0, 2.0, 3.0, 4.0], [4.0, 3.0, 2.0, 1.0],
                                      "worse than the mean: r2 < 0"))

    mcnemar = [mcnemar_case(b, c, 1000) for b, c in
               [(0, 0), (5, 1), (1, 5), (10, 10), (12, 2), (0, 24), (13, 12), (30, 12), (12, 30), (100, 80), (500, 430)]]

    doc = {
        "generator": "scripts/known-answers/evaluate_vectors.py",
        "versions": {"python": sys.version.split()[0], "numpy": np.__version__, "scipy": scipy.__version__,
                     "sklearn": sklearn.__version__},
        "tolerance": {"exact": 1e-9,
                      "note": "every value here is exact arithmetic on the inputs; 1e-9 absolute allows summation order"},
        "classification": classification,
        "regression": regression,
        "mcnemar": mcnemar,
    }
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "w") as f:
        json.dump(doc, f, indent=1)
        f.write("\n")
    print("wrote", os.path.normpath(OUT))


if __name__ == "__main__":
    main()
