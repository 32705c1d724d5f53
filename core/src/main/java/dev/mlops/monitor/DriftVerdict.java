package dev.mlops.monitor;

import dev.mlops.drift.DriftCheck;
import dev.mlops.drift.FeatureDrift;
import dev.mlops.registry.Caller;
import dev.mlops.storage.ArtifactStore;
import dev.mlops.storage.ArtifactStores;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * One drift check that may ask for a retrain: {@link DriftCheck} then, when a {@link RetrainTarget} is
 * given and the report drifted, {@link DriftRetrain} with the ledger and audit log in the registry. The
 * use case behind the Jenkins step; its {@link Result#summary()} is {@code mlops drift --json}'s plus the
 * per-feature table.
 */
public final class DriftVerdict {
    /**
     * @param target    null: report only
     * @param reportUrl the link sent in a retrain request instead of the report file (may be null)
     */
    public record Input(DriftCheck.Input check, RetrainTarget target, String reportUrl) {
    }

    public record Result(DriftCheck.Result check, Optional<TriggerResult> trigger) {
        /** Schema {@code mlops.drift-summary/v1}: the report's summary, report paths, the trigger's outcome and every feature's row. */
        public Map<String, Object> summary() {
            Map<String, Object> s = new LinkedHashMap<>(check.report().summary());
            s.put("report", check.html().toString());
            s.put("report_json", check.json().toString());
            trigger.ifPresent(t -> s.put("trigger", t.toJson()));
            s.put("features", features(check.report().features()));
            return s;
        }
    }

    private DriftVerdict() {
    }

    public static Result run(Input input, Path workingDir, Map<String, String> env, Clock clock, Consumer<String> log) {
        if (input.target() != null) {
            String model = input.check().model() == null ? null : dev.mlops.registry.ModelRef.parse(input.check().model()).model();
            if (model == null) {
                throw new dev.mlops.error.InvalidInputException("trigger: needs model: a retrain request names the model to retrain");
            }
            input.target().open(model, env, clock); // a missing secret fails before the work
        }
        DriftCheck.Result checked = DriftCheck.run(input.check(), workingDir, env, clock);
        if (input.target() == null || !checked.report().drifted()) {
            return new Result(checked, Optional.empty());
        }
        Caller caller = Caller.fromEnvironment(env);
        try (ArtifactStore store = ArtifactStores.open(ArtifactStores.resolveUri(input.check().registry(), env), workingDir, env)) {
            DriftRetrain retrain = DriftRetrain.open(input.target(), checked.report().model(), store, env, clock, log, caller.user(),
                    caller.build().describe());
            return new Result(checked, retrain.onReport(checked.report(), DriftRetrain.reportLink(input.reportUrl(), checked.html())));
        }
    }

    private static List<Map<String, Object>> features(List<FeatureDrift> features) {
        return features.stream().map(f -> {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("feature", f.feature());
            row.put("type", f.type());
            row.put("method", f.method());
            row.put("statistic", f.statistic());
            row.put("p_value", f.adjustedP());
            row.put("threshold", f.threshold());
            row.put("score", f.score());
            row.put("drifted", f.drifted());
            return row;
        }).toList();
    }
}
