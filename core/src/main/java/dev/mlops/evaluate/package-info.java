/**
 * Evaluate a candidate model against production on the same holdout rows, and gate promotion.
 *
 * <p>Flow: {@link dev.mlops.evaluate.Holdout#read} → {@link dev.mlops.evaluate.EvaluationRequest}
 * (candidate and optional baseline as {@link dev.mlops.evaluate.ModelInput}: a loaded
 * {@link dev.mlops.model.Predictor} or a {@link dev.mlops.evaluate.PredictionFile}) →
 * {@link dev.mlops.evaluate.Evaluation#run} → {@link dev.mlops.evaluate.EvaluationReport} →
 * {@link dev.mlops.evaluate.ReportWriter#write}.
 *
 * <h2>Metrics</h2>
 * Match scikit-learn 1.2 ({@code scripts/known-answers/evaluate_vectors.py} generates the expected
 * values the tests check): accuracy; precision, recall and F1 per class and macro over all schema
 * classes with {@code zero_division=0}; ROC AUC binary (positive class = the schema's second
 * class) or one-vs-rest macro, ties counted one half; log loss with probabilities clipped to
 * [1e-15, 1 − 1e-15] and rows renormalised; confusion matrix; RMSE, MAE, R² (force_finite).
 * The predicted class is the first maximum probability.
 *
 * <h2>Paired bootstrap</h2>
 * Poisson bootstrap: per resample every row gets weight w ~ Poisson(1), independently, shared by
 * both models. Percentile interval (numpy's linear interpolation). For metrics that only depend
 * on counts of outcomes (accuracy: the 2×2 correct/incorrect table; macro precision/recall/F1:
 * the cells of (truth, candidate prediction, baseline prediction)) the weighted count of an
 * outcome with c rows is a sum of c iid Poisson(1), which is exactly Poisson(c), independent
 * across outcomes; a resample then costs one Poisson draw per non-empty outcome, with the same
 * distribution as drawing every row's weight. Log loss, MAE, RMSE and R² use per-row weights in
 * one fused pass (O(n) per resample, four resamples per pass over the data); ROC AUC is one
 * sequential pass per model over presorted scores (O(n) per resample, k passes per model for
 * multiclass), and is bootstrapped only when gated.
 *
 * <h2>Gate</h2>
 * Per metric, d = candidate − baseline, g = d in the better direction. Superiority: g ≥
 * min_absolute_change and, if set, g / |baseline| ≥ min_relative_change (undefined when the
 * baseline is 0: then only the absolute rule applies, and the reason says so); then the interval
 * must exclude 0 in the better direction, else INCONCLUSIVE. Non-inferiority: g ≥ −margin, and the
 * interval must exclude −margin, else INCONCLUSIVE. Without a baseline the first-model policy
 * decides (PASS by default, with the reason "first model: no baseline, passed by policy"). The
 * optional worst-slice rule gates the candidate's worst slice and the best–worst gap. Overall:
 * any FAIL → FAIL, else any ERROR → ERROR, else any INCONCLUSIVE → INCONCLUSIVE, else PASS.
 */
package dev.mlops.evaluate;
