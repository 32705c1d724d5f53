package dev.mlops.config;

import dev.mlops.deploy.RolloutPlan.AnalysisThresholds;
import dev.mlops.deploy.RolloutPlan.SloThresholds;
import dev.mlops.evaluate.GateConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * A validated {@code mlops.yaml} (schema {@value #SCHEMA}), the one file a team edits; see
 * docs/mlops-yaml.md. Sections that are absent are null: which ones are present decides the
 * {@link #level()} the file configures. Read one with {@link MlopsConfigParser}.
 *
 * @param version      schema version of the file, always 1
 * @param model        registered model name
 * @param claimedLevel the {@code level:} the file claims, or null
 */
public record MlopsConfig(int version, String model, Integer claimedLevel, Train train, Evaluate evaluate, GateConfig gate,
                          Deploy deploy, Drift drift, Retrain retrain) {
    public static final String SCHEMA = "mlops.config/v1";
    public static final String FILE = "mlops.yaml";

    /** Level 2: training on a labelled agent. Exactly one of {@code command} and {@code builtin} is set. */
    public record Train(String agent, boolean requireGpu, String command, Builtin builtin, List<String> data, String label,
                        List<String> features, Map<String, Object> params, Long seed) {
        public Train {
            data = data == null ? List.of() : List.copyOf(data);
            features = features == null ? List.of() : List.copyOf(features);
            params = params == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(params));
        }
    }

    /** The built-in DJL MLP trainer's settings. */
    public record Builtin(String task, List<Integer> hidden, int epochs, double learningRate) {
        public static final List<Integer> DEFAULT_HIDDEN = List.of(32, 16);
        public static final int DEFAULT_EPOCHS = 20;
        public static final double DEFAULT_LEARNING_RATE = 0.01;

        public Builtin {
            hidden = List.copyOf(hidden);
        }
    }

    /** Level 3: the holdout both the candidate and production are scored on. */
    public record Evaluate(String holdout, String label, List<String> slices) {
        public Evaluate {
            slices = slices == null ? List.of() : List.copyOf(slices);
        }
    }

    /** Level 3 (canary: Level 4). {@code slo}, {@code approval} and {@code canary} are null when off. */
    public record Deploy(String target, int port, List<String> stages, boolean smoke, SloThresholds slo, Approval approval,
                         Canary canary) {
        public static final int DEFAULT_PORT = 8090;
        public static final List<String> DEFAULT_STAGES = List.of("staging", "production");

        public Deploy {
            stages = List.copyOf(stages);
        }
    }

    public record Approval(List<String> approvers, int timeoutMinutes) {
        public static final int DEFAULT_TIMEOUT_MINUTES = 60;

        public Approval {
            approvers = List.copyOf(approvers);
        }
    }

    public record Canary(List<Integer> steps, int stepSeconds, AnalysisThresholds analysis) {
        public static final int DEFAULT_STEP_SECONDS = 60;

        public Canary {
            steps = List.copyOf(steps);
        }
    }

    /** Level 4: the drift check on logged traffic. */
    public record Drift(String method, String correction, double driftShare, int windowRows, String schedule) {
        public static final String DEFAULT_METHOD = "auto";
        public static final String DEFAULT_CORRECTION = "benjamini_hochberg";
        public static final double DEFAULT_DRIFT_SHARE = 0.3;
        public static final int DEFAULT_WINDOW_ROWS = 10_000;
        public static final String DEFAULT_SCHEDULE = "H/15 * * * *";
    }

    /** Level 4: the webhook that starts retraining, with its debounce and budget. */
    public record Retrain(String webhook, String job, String secretCredentialsId, int cooldownMinutes, int maxPerDay, String mode) {
        public static final int DEFAULT_COOLDOWN_MINUTES = 360;
        public static final int DEFAULT_MAX_PER_DAY = 2;
        public static final String DEFAULT_MODE = "trigger";
    }

    /** Reads and validates a file; every problem at once in a {@link MlopsConfigException}. */
    public static MlopsConfig read(Path file) {
        return MlopsConfigParser.read(file);
    }

    /**
     * The level this file actually configures: 1 without {@code train}; 2 with it; 3 when it also
     * evaluates against production, gates, and deploys in stages with a smoke test and an approval;
     * 4 when it also has canary steps, a drift check and a retrain webhook.
     */
    public int level() {
        for (int level = 2; level <= 4; level++) {
            if (!missingFor(level).isEmpty()) {
                return level - 1;
            }
        }
        return 4;
    }

    /** What this file lacks to configure {@code level}, one problem per missing key (empty when it is there). */
    public List<ConfigProblem> missingFor(int level) {
        return missing(level, this::has);
    }

    private boolean has(String path) {
        return switch (path) {
            case "train" -> train != null;
            case "evaluate" -> evaluate != null;
            case "gate" -> gate != null;
            case "deploy" -> deploy != null;
            case "deploy.approval" -> deploy != null && deploy.approval() != null;
            case "deploy.smoke" -> deploy != null && deploy.smoke();
            case "deploy.canary" -> deploy != null && deploy.canary() != null;
            case "drift" -> drift != null;
            case "retrain.webhook" -> retrain != null;
            default -> throw new IllegalArgumentException(path);
        };
    }

    /** Requirements per level, each a path, the fix, and where the level's page is. */
    static List<ConfigProblem> missing(int level, Predicate<String> has) {
        String[][] requirements = {
                {"2", "train", "add a train: section with command: or builtin:"},
                {"3", "evaluate", "add evaluate: {holdout: data/holdout.csv} so candidates are scored against production"},
                {"3", "gate", "add gate: {metrics: [{name: accuracy}]} so only a better model is released"},
                {"3", "deploy", "add deploy: {stages: [staging, production], approval: {approvers: [...]}}"},
                {"3", "deploy.approval", "add deploy.approval.approvers: [...] so a person signs off before production"},
                {"3", "deploy.smoke", "set deploy.smoke: true so staging is smoke-tested before production"},
                {"4", "deploy.canary", "add deploy.canary: {steps: [10, 50, 100]} for analysed canary steps with automatic rollback"},
                {"4", "drift", "add drift: {method: auto} so logged traffic is checked for drift"},
                {"4", "retrain.webhook", "add retrain: {webhook: ..., job: ...} so drift starts retraining"},
        };
        List<ConfigProblem> out = new ArrayList<>();
        for (String[] r : requirements) {
            int needed = Integer.parseInt(r[0]);
            if (needed <= level && !has.test(r[1])) {
                out.add(new ConfigProblem(r[1], "required for level " + needed + "; " + r[2] + " (see docs/levels/level" + needed + ".md)", 0, 0));
            }
        }
        return out;
    }

    /** The normalised file with every default filled in, snake_case keys, for {@code mlops config show}. */
    public Map<String, Object> toDocument() {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("schema", SCHEMA);
        doc.put("version", version);
        doc.put("model", model);
        doc.put("level", level());
        doc.put("claimed_level", claimedLevel);
        if (train != null) {
            Map<String, Object> t = new LinkedHashMap<>();
            t.put("agent", train.agent());
            t.put("require_gpu", train.requireGpu());
            t.put("command", train.command());
            if (train.builtin() != null) {
                Builtin b = train.builtin();
                t.put("builtin", ordered("task", b.task(), "hidden", b.hidden(), "epochs", b.epochs(), "learning_rate", b.learningRate()));
            }
            t.put("data", train.data());
            t.put("label", train.label());
            t.put("features", train.features());
            t.put("params", train.params());
            t.put("seed", train.seed());
            doc.put("train", t);
        }
        if (evaluate != null) {
            doc.put("evaluate", ordered("holdout", evaluate.holdout(), "label", evaluate.label(), "slices", evaluate.slices()));
        }
        if (gate != null) {
            doc.put("gate", gate.toDocument());
        }
        if (deploy != null) {
            Map<String, Object> d = ordered("target", deploy.target(), "port", deploy.port(), "stages", deploy.stages(), "smoke", deploy.smoke());
            if (deploy.slo() != null) {
                d.put("slo", ordered("max_p99_ms", deploy.slo().maxP99Millis(), "max_error_rate", deploy.slo().maxErrorRate()));
            }
            if (deploy.approval() != null) {
                d.put("approval", ordered("approvers", deploy.approval().approvers(), "timeout_minutes", deploy.approval().timeoutMinutes()));
            }
            if (deploy.canary() != null) {
                AnalysisThresholds a = deploy.canary().analysis();
                d.put("canary", ordered("steps", deploy.canary().steps(), "step_seconds", deploy.canary().stepSeconds(),
                        "analysis", ordered("min_requests", a.minRequests(), "max_error_rate", a.maxErrorRate(),
                                "max_p99_ms", a.maxP99Millis(), "max_shift", a.maxShift())));
            }
            doc.put("deploy", d);
        }
        if (drift != null) {
            doc.put("drift", ordered("method", drift.method(), "correction", drift.correction(), "drift_share", drift.driftShare(),
                    "window_rows", drift.windowRows(), "schedule", drift.schedule()));
        }
        if (retrain != null) {
            doc.put("retrain", ordered("webhook", retrain.webhook(), "job", retrain.job(), "secret_credentials_id",
                    retrain.secretCredentialsId(), "cooldown_minutes", retrain.cooldownMinutes(), "max_per_day", retrain.maxPerDay(),
                    "mode", retrain.mode()));
        }
        return doc;
    }

    private static Map<String, Object> ordered(Object... keyValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            m.put((String) keyValues[i], keyValues[i + 1]);
        }
        return m;
    }
}
