package dev.mlops.drift;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A drift report (schema {@value #SCHEMA}): per-feature results sorted by drift score, the prediction's
 * drift, and the dataset verdict: drift when at least {@code settings.driftShare} of the evaluated
 * features drifted.
 */
public record DriftReport(String schema, String model, Integer version, String referenceSource, long referenceRows,
                          String currentSource, long currentRows, Instant since, Instant until, DriftSettings settings,
                          int evaluatedFeatures, int driftedFeatures, double driftedShare, boolean datasetDrift,
                          List<FeatureDrift> features, FeatureDrift prediction, List<String> notes, Instant generatedAt) {
    public static final String SCHEMA = "mlops.drift/v1";
    public static final String SUMMARY_SCHEMA = "mlops.drift-summary/v1";
    /** The name of the prediction column in profiles, reports and current CSV files. */
    public static final String PREDICTION = "prediction";

    public DriftReport {
        features = List.copyOf(features);
        notes = notes == null ? List.of() : List.copyOf(notes);
    }

    /** The dataset verdict. */
    public boolean drifted() {
        return datasetDrift;
    }

    /** A compact map for a webhook payload or a CLI summary (schema {@value #SUMMARY_SCHEMA}). */
    @JsonIgnore
    public Map<String, Object> summary() {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("schema", SUMMARY_SCHEMA);
        s.put("model", model);
        s.put("version", version);
        s.put("drift", datasetDrift);
        s.put("drifted_features", driftedFeatures);
        s.put("evaluated_features", evaluatedFeatures);
        s.put("drifted_share", driftedShare);
        s.put("drift_share_threshold", settings.driftShare());
        s.put("method", settings.method());
        s.put("correction", settings.correction());
        s.put("current_rows", currentRows);
        s.put("reference_rows", referenceRows);
        if (since != null) {
            s.put("since", since.toString());
        }
        if (until != null) {
            s.put("until", until.toString());
        }
        s.put("top_features", features.stream().filter(FeatureDrift::drifted).limit(10).map(f -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("feature", f.feature());
            m.put("method", f.method());
            m.put("statistic", f.statistic());
            if (f.adjustedP() != null) {
                m.put("p_value", f.adjustedP());
            }
            m.put("score", f.score());
            return m;
        }).toList());
        if (prediction != null) {
            s.put("prediction_drift", prediction.drifted());
        }
        return s;
    }
}
