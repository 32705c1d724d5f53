package dev.mlops.evaluate;

import java.util.LinkedHashMap;
import java.util.Map;

/** Every metric of a task for one model, computed from shared intermediate results. */
final class Metrics {
    private Metrics() {
    }

    /** Metric id → value, in {@link Metric} order; null where undefined. */
    static Map<String, Double> classification(int[] truth, ModelScores scores) {
        int k = scores.classes();
        ClassificationMetrics.PerClass perClass =
                ClassificationMetrics.perClass(ClassificationMetrics.confusionMatrix(truth, scores.predicted(), k));
        Map<String, Double> out = new LinkedHashMap<>();
        out.put(Metric.ACCURACY.id(), EvaluationReport.finite(ClassificationMetrics.accuracy(truth, scores.predicted())));
        out.put(Metric.PRECISION_MACRO.id(), EvaluationReport.finite(perClass.macroPrecision()));
        out.put(Metric.RECALL_MACRO.id(), EvaluationReport.finite(perClass.macroRecall()));
        out.put(Metric.F1_MACRO.id(), EvaluationReport.finite(perClass.macroF1()));
        out.put(Metric.ROC_AUC.id(), EvaluationReport.finite(ClassificationMetrics.rocAuc(truth, scores.probabilities(), k)));
        out.put(Metric.LOG_LOSS.id(), EvaluationReport.finite(ClassificationMetrics.logLoss(truth, scores.probabilities(), k)));
        return out;
    }

    static Map<String, Double> regression(double[] truth, ModelScores scores) {
        Map<String, Double> out = new LinkedHashMap<>();
        out.put(Metric.RMSE.id(), EvaluationReport.finite(RegressionMetrics.rmse(truth, scores.values())));
        out.put(Metric.MAE.id(), EvaluationReport.finite(RegressionMetrics.mae(truth, scores.values())));
        out.put(Metric.R2.id(), EvaluationReport.finite(RegressionMetrics.r2(truth, scores.values())));
        return out;
    }
}
