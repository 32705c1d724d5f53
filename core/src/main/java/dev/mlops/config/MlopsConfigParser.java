package dev.mlops.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.mlops.config.MlopsConfig.Approval;
import dev.mlops.config.MlopsConfig.Builtin;
import dev.mlops.config.MlopsConfig.Canary;
import dev.mlops.config.MlopsConfig.Deploy;
import dev.mlops.config.MlopsConfig.Drift;
import dev.mlops.config.MlopsConfig.Evaluate;
import dev.mlops.config.MlopsConfig.Retrain;
import dev.mlops.config.MlopsConfig.Train;
import dev.mlops.deploy.RolloutPlan;
import dev.mlops.deploy.RolloutPlan.AnalysisThresholds;
import dev.mlops.deploy.RolloutPlan.SloThresholds;
import dev.mlops.error.InvalidInputException;
import dev.mlops.evaluate.FirstModelPolicy;
import dev.mlops.evaluate.GateConfig;
import dev.mlops.evaluate.GateConfigException;
import dev.mlops.registry.Names;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses and validates {@code mlops.yaml} into a {@link MlopsConfig}, collecting every problem
 * with its path and line: YAML syntax, unknown keys (closest known key suggested), wrong types,
 * values out of range, missing sections for the claimed level. The {@code gate:} section is
 * {@link GateConfig}'s own format and parser; the canary and approval checks are
 * {@link RolloutPlan#problems}.
 */
public final class MlopsConfigParser {
    static final String ROOT = "(file)";
    static final String EMPTY_APPROVERS = "empty while approval is on; list who may approve, e.g. [alice, \"group:ml-leads\"], "
            + "or remove deploy.approval";

    static final List<String> TOP = List.of("version", "model", "level", "train", "evaluate", "gate", "deploy", "drift", "retrain");
    static final List<String> TRAIN = List.of("agent", "require_gpu", "command", "builtin", "data", "label", "features", "params", "seed");
    static final List<String> BUILTIN = List.of("task", "hidden", "epochs", "learning_rate");
    static final List<String> EVALUATE = List.of("holdout", "label", "slices");
    static final List<String> DEPLOY = List.of("target", "port", "stages", "smoke", "slo", "approval", "canary");
    static final List<String> SLO = List.of("max_p99_ms", "max_error_rate");
    static final List<String> APPROVAL = List.of("approvers", "timeout_minutes");
    static final List<String> CANARY = List.of("steps", "step_seconds", "analysis");
    static final List<String> ANALYSIS = List.of("min_requests", "max_error_rate", "max_p99_ms", "max_shift");
    static final List<String> DRIFT = List.of("method", "correction", "drift_share", "window_rows", "schedule");
    static final List<String> RETRAIN = List.of("webhook", "job", "secret_credentials_id", "cooldown_minutes", "max_per_day", "mode");

    static final List<String> TASKS = List.of("classification", "regression");
    static final List<String> TARGETS = List.of("local", "docker");
    static final List<String> DRIFT_METHODS = List.of("auto", "psi", "ks", "wasserstein", "jensen_shannon", "chi_square");
    static final List<String> CORRECTIONS = List.of("benjamini_hochberg", "bonferroni", "none");
    static final List<String> RETRAIN_MODES = List.of("trigger", "dry_run", "pause");

    /** {@code RolloutPlan} paths and their keys in this file. */
    private static final String[][] PLAN_PATHS = {
            {"gates.approval.approvers", "deploy.approval.approvers"},
            {"gates.slo.maxP99Millis", "deploy.slo.max_p99_ms"},
            {"gates.slo.maxErrorRate", "deploy.slo.max_error_rate"},
            {"canary.analysis.minRequests", "deploy.canary.analysis.min_requests"},
            {"canary.analysis.maxErrorRate", "deploy.canary.analysis.max_error_rate"},
            {"canary.analysis.maxP99Millis", "deploy.canary.analysis.max_p99_ms"},
            {"canary.analysis.maxShift", "deploy.canary.analysis.max_shift"},
            {"canary.steps", "deploy.canary.steps"},
    };
    private static final Pattern STEP_WEIGHT = Pattern.compile("deploy\\.canary\\.steps\\[(\\d+)]\\.weight");
    private static final Pattern GATE_UNKNOWN = Pattern.compile("unknown field; known fields are \\[(.*)]");
    private static final Pattern SECRET_IN_URL = Pattern.compile("(?i)[?&](token|secret|key|sig|password)=");

    private final YAMLFactory yaml = new YAMLFactory();
    private final ObjectMapper mapper = new ObjectMapper(yaml);

    /** The outcome of validating one file: the config when valid, else every problem. */
    public record Validation(String source, MlopsConfig config, List<ConfigProblem> problems) {
        public Validation {
            problems = List.copyOf(problems);
        }

        public boolean valid() {
            return problems.isEmpty();
        }

        public MlopsConfig orThrow() {
            if (!valid()) {
                throw new MlopsConfigException(source, problems);
            }
            return config;
        }
    }

    public static MlopsConfig read(Path file) {
        return new MlopsConfigParser().validate(file).orThrow();
    }

    public static MlopsConfig parse(String text, String source) {
        return new MlopsConfigParser().validate(text, source).orThrow();
    }

    public Validation validate(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new InvalidInputException(file + " does not exist; create it (see docs/mlops-yaml.md) or pass its path");
        } catch (IOException e) {
            throw new InvalidInputException("cannot read " + file + ": " + e.getMessage() + "; check the path and permissions", e);
        }
        return validate(text, file.toString());
    }

    public Validation validate(String text, String source) {
        YamlLocations locations;
        JsonNode root;
        try {
            locations = YamlLocations.of(yaml, text);
            root = mapper.readTree(text);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String message = firstLine(e.getOriginalMessage());
            return new Validation(source, null, List.of(new ConfigProblem(ROOT, "not valid YAML: " + message + "; fix the syntax there",
                    at == null ? 0 : at.getLineNr(), at == null ? 0 : at.getColumnNr())));
        } catch (IOException e) {
            throw new InvalidInputException("cannot read " + source + ": " + e.getMessage(), e);
        }
        Fields f = new Fields(locations);
        f.problems().addAll(locations.duplicates());
        if (root == null || root.isMissingNode() || root.isNull()) {
            f.problem(ROOT, "is empty; start with `version: 1` and `model: NAME` (see docs/mlops-yaml.md)");
            return new Validation(source, null, f.problems());
        }
        if (!root.isObject()) {
            f.problem(ROOT, Fields.MUST_BE_MAPPING + "; start with `version: 1` and `model: NAME`");
            return new Validation(source, null, f.problems());
        }
        MlopsConfig config = build(root, f);
        return new Validation(source, f.problems().isEmpty() ? config : null, f.problems());
    }

    private MlopsConfig build(JsonNode root, Fields f) {
        f.knownKeys(root, "", TOP);
        Long version = f.integer(root, "", "version", 1, 1, "1 (the only version)");
        String model = f.string(root, "", "model");
        if (model == null && !Fields.present(root, "model")) {
            f.problem("model", "is required; give the registered model name, e.g. model: churn");
        } else if (model != null) {
            try {
                Names.model(model);
            } catch (InvalidInputException e) {
                f.problem("model", e.getMessage().replaceFirst("^model: ", ""));
            }
        }
        Long claimed = f.integer(root, "", "level", 1, 4, "3");

        Train train = train(f.section(root, "", "train"), f);
        Evaluate evaluate = evaluate(f.section(root, "", "evaluate"), train, f);
        GateConfig gate = gate(root, f);
        Deploy deploy = deploy(f.section(root, "", "deploy"), f);
        Drift drift = drift(f.section(root, "", "drift"), f);
        Retrain retrain = retrain(f.section(root, "", "retrain"), f);

        if (Fields.present(root, "drift") && !Fields.present(root, "retrain")) {
            f.problem("retrain", "required when drift is on; add retrain: {webhook: ..., job: ...} so drift starts retraining");
        }
        if (gate != null && gate.firstModelPolicy() == FirstModelPolicy.REQUIRE_APPROVAL && !hasApprovers(root)) {
            f.problem("deploy.approval.approvers", "empty while gate.first_model_policy is require_approval; "
                    + "list who may approve the first model, e.g. [alice]");
        }
        if (claimed != null) {
            for (ConfigProblem missing : MlopsConfig.missing(claimed.intValue(), path -> present(root, path))) {
                f.problem(missing.path(), missing.message().replaceFirst("^required for level \\d", "required by level: " + claimed));
            }
        }
        return new MlopsConfig(version == null ? 1 : version.intValue(), model, claimed == null ? null : claimed.intValue(),
                train, evaluate, gate, deploy, drift, retrain);
    }

    private static boolean hasApprovers(JsonNode root) {
        JsonNode approvers = root.path("deploy").path("approval").path("approvers");
        return approvers.isArray() && !approvers.isEmpty();
    }

    /** Presence in the raw tree, for the claimed-level check (types are checked elsewhere). */
    private static boolean present(JsonNode root, String path) {
        if (path.equals("deploy.smoke")) {
            JsonNode smoke = root.path("deploy").path("smoke");
            return Fields.present(root, "deploy") && !(smoke.isBoolean() && !smoke.asBoolean());
        }
        JsonNode node = root;
        for (String part : path.split("\\.")) {
            if (!Fields.present(node, part)) {
                return false;
            }
            node = node.get(part);
        }
        return true;
    }

    private Train train(JsonNode t, Fields f) {
        if (t == null) {
            return null;
        }
        String p = "train";
        f.knownKeys(t, p, TRAIN);
        String agent = f.string(t, p, "agent");
        Boolean requireGpu = f.bool(t, p, "require_gpu");
        String command = f.string(t, p, "command");
        Builtin builtin = builtin(f.section(t, p, "builtin"), f);
        boolean hasCommand = Fields.present(t, "command");
        boolean hasBuiltin = Fields.present(t, "builtin");
        if (hasCommand && hasBuiltin) {
            f.problem("train.builtin", "train.command and train.builtin are both set; keep exactly one");
        } else if (!hasCommand && !hasBuiltin) {
            f.problem("train", "needs exactly one of command (e.g. command: python train.py) or builtin (the DJL MLP trainer)");
        }
        List<String> data = f.strings(t, p, "data", true, "[data/train.csv]");
        String label = f.string(t, p, "label");
        if (hasBuiltin && data == null && !Fields.present(t, "data")) {
            f.problem("train.data", "is required with train.builtin; give the training CSV, e.g. data: data/train.csv");
        }
        if (hasBuiltin && label == null && !Fields.present(t, "label")) {
            f.problem("train.label", "is required with train.builtin; give the label column, e.g. label: churned");
        }
        List<String> features = f.strings(t, p, "features", false, "[age, tenure]");
        Map<String, Object> params = null;
        if (Fields.present(t, "params")) {
            JsonNode node = t.get("params");
            if (node.isObject()) {
                params = mapper.convertValue(node, LinkedHashMap.class);
            } else {
                f.problem("train.params", Fields.MUST_BE_MAPPING + ", e.g. params: {lr: 0.01}");
            }
        }
        Long seed = f.integer(t, p, "seed", Long.MIN_VALUE, Long.MAX_VALUE, "42");
        return new Train(agent, Boolean.TRUE.equals(requireGpu), command, builtin, data, label, features, params, seed);
    }

    private static Builtin builtin(JsonNode b, Fields f) {
        if (b == null) {
            return null;
        }
        String p = "train.builtin";
        f.knownKeys(b, p, BUILTIN);
        String task = f.choice(b, p, "task", TASKS);
        List<Integer> hidden = f.integers(b, p, "hidden", 1, 100_000, "[32, 16]");
        if (hidden != null && hidden.isEmpty()) {
            f.problem("train.builtin.hidden", "is empty; give layer sizes, e.g. [32, 16]");
        }
        Long epochs = f.integer(b, p, "epochs", 1, 1_000_000, "20");
        Double rate = f.number(b, p, "learning_rate", 0, true, 10, "0.01");
        return new Builtin(task == null ? "classification" : task, hidden == null ? Builtin.DEFAULT_HIDDEN : hidden,
                epochs == null ? Builtin.DEFAULT_EPOCHS : epochs.intValue(), rate == null ? Builtin.DEFAULT_LEARNING_RATE : rate);
    }

    private static Evaluate evaluate(JsonNode e, Train train, Fields f) {
        if (e == null) {
            return null;
        }
        String p = "evaluate";
        f.knownKeys(e, p, EVALUATE);
        String holdout = f.string(e, p, "holdout");
        if (holdout == null && !Fields.present(e, "holdout")) {
            f.problem("evaluate.holdout", "is required; give the holdout CSV both models are scored on, e.g. data/holdout.csv");
        }
        String label = f.string(e, p, "label");
        if (label == null && !Fields.present(e, "label")) {
            label = train == null ? null : train.label();
            if (label == null) {
                f.problem("evaluate.label", "is required when train.label is not set; give the label column, e.g. churned");
            }
        }
        List<String> slices = f.strings(e, p, "slices", true, "[region]");
        return new Evaluate(holdout, label, slices);
    }

    private static GateConfig gate(JsonNode root, Fields f) {
        if (!Fields.present(root, "gate")) {
            return null;
        }
        try {
            return GateConfig.parse(root.get("gate"), "gate");
        } catch (GateConfigException e) {
            for (String problem : e.problems()) {
                int colon = problem.indexOf(": ");
                String path = colon < 0 ? "gate" : problem.substring(0, colon);
                String message = colon < 0 ? problem : problem.substring(colon + 2);
                Matcher unknown = GATE_UNKNOWN.matcher(message);
                if (unknown.matches()) {
                    String key = path.substring(path.lastIndexOf('.') + 1);
                    message = Fields.unknownKeyMessage(key, Arrays.asList(unknown.group(1).split(",\\s*")));
                }
                f.problem(path, message);
            }
        } catch (InvalidInputException e) {
            f.problem("gate", e.getMessage().replaceFirst("^gate[^:]*: ", ""));
        }
        return null;
    }

    private static Deploy deploy(JsonNode d, Fields f) {
        if (d == null) {
            return null;
        }
        String p = "deploy";
        f.knownKeys(d, p, DEPLOY);
        int before = f.problems().size();
        String target = f.choice(d, p, "target", TARGETS);
        Long port = f.integer(d, p, "port", 1, 65_535, "8090");
        List<String> stages = f.strings(d, p, "stages", false, "[staging, production]");
        if (stages != null && stages.isEmpty()) {
            f.problem("deploy.stages", "is empty; list the stages in order, e.g. [staging, production]");
        } else if (stages != null && stages.stream().distinct().count() < stages.size()) {
            f.problem("deploy.stages", "lists a stage twice; each stage once, in order");
        }
        Boolean smoke = f.bool(d, p, "smoke");

        SloThresholds slo = null;
        JsonNode s = f.section(d, p, "slo");
        if (s != null) {
            f.knownKeys(s, "deploy.slo", SLO);
            Double p99 = f.number(s, "deploy.slo", "max_p99_ms", Double.NEGATIVE_INFINITY, false, Double.MAX_VALUE, "250");
            Double errors = f.number(s, "deploy.slo", "max_error_rate", Double.NEGATIVE_INFINITY, false, Double.MAX_VALUE, "0.01");
            slo = new SloThresholds(p99 == null ? 250 : p99, errors == null ? 0.01 : errors);
        }

        Approval approval = null;
        JsonNode a = f.section(d, p, "approval");
        if (a != null) {
            f.knownKeys(a, "deploy.approval", APPROVAL);
            List<String> approvers = f.strings(a, "deploy.approval", "approvers", false, "[alice, \"group:ml-leads\"]");
            if (approvers == null && !Fields.present(a, "approvers") || approvers != null && approvers.isEmpty()) {
                f.problem("deploy.approval.approvers", EMPTY_APPROVERS);
            }
            Long timeout = f.integer(a, "deploy.approval", "timeout_minutes", 1, 60L * 24 * 30, "60");
            approval = new Approval(approvers == null ? List.of() : approvers,
                    timeout == null ? Approval.DEFAULT_TIMEOUT_MINUTES : timeout.intValue());
        } else if (Fields.present(d, "approval")) {
            f.problem("deploy.approval.approvers", EMPTY_APPROVERS);
        }

        Canary canary = null;
        JsonNode c = f.section(d, p, "canary");
        if (c != null) {
            f.knownKeys(c, "deploy.canary", CANARY);
            List<Integer> steps = f.integers(c, "deploy.canary", "steps", Integer.MIN_VALUE, Integer.MAX_VALUE, "[10, 50, 100]");
            if (steps == null && !Fields.present(c, "steps")) {
                steps = List.of(10, 50, 100);
            }
            Long stepSeconds = f.integer(c, "deploy.canary", "step_seconds", 1, 86_400, "60");
            AnalysisThresholds defaults = AnalysisThresholds.DEFAULTS;
            AnalysisThresholds analysis = defaults;
            JsonNode an = f.section(c, "deploy.canary", "analysis");
            if (an != null) {
                String ap = "deploy.canary.analysis";
                f.knownKeys(an, ap, ANALYSIS);
                Long minRequests = f.integer(an, ap, "min_requests", Long.MIN_VALUE, Long.MAX_VALUE, "50");
                Double maxErrors = f.number(an, ap, "max_error_rate", Double.NEGATIVE_INFINITY, false, Double.MAX_VALUE, "0.01");
                Double maxP99 = f.number(an, ap, "max_p99_ms", Double.NEGATIVE_INFINITY, false, Double.MAX_VALUE, "500");
                Double maxShift = f.number(an, ap, "max_shift", Double.NEGATIVE_INFINITY, false, Double.MAX_VALUE, "0.2");
                analysis = new AnalysisThresholds(minRequests == null ? defaults.minRequests() : minRequests,
                        maxErrors == null ? defaults.maxErrorRate() : maxErrors, maxP99 == null ? defaults.maxP99Millis() : maxP99,
                        maxShift == null ? defaults.maxShift() : maxShift);
            }
            if (steps != null) {
                canary = new Canary(steps, stepSeconds == null ? Canary.DEFAULT_STEP_SECONDS : stepSeconds.intValue(), analysis);
            }
        }
        // Range, order and blank-approver rules are the rollout plan's own, with its paths mapped to this file's keys.
        List<String> approvers = approval == null ? List.of() : approval.approvers();
        List<Integer> steps = canary == null ? List.of(100) : canary.steps();
        AnalysisThresholds analysis = canary == null ? AnalysisThresholds.DEFAULTS : canary.analysis();
        for (String problem : RolloutPlan.problems(slo, approvers, steps, analysis)) {
            int colon = problem.indexOf(": ");
            f.problem(planPath(problem.substring(0, colon)), problem.substring(colon + 2));
        }
        if (f.problems().size() > before) {
            return null;
        }
        return new Deploy(target == null ? "local" : target, port == null ? Deploy.DEFAULT_PORT : port.intValue(),
                stages == null ? Deploy.DEFAULT_STAGES : stages, smoke == null || smoke, slo, approval, canary);
    }

    private static String planPath(String path) {
        for (String[] mapping : PLAN_PATHS) {
            if (path.startsWith(mapping[0])) {
                path = mapping[1] + path.substring(mapping[0].length());
                break;
            }
        }
        Matcher weight = STEP_WEIGHT.matcher(path);
        return weight.matches() ? "deploy.canary.steps[" + weight.group(1) + "]" : path;
    }

    private static Drift drift(JsonNode d, Fields f) {
        if (d == null) {
            return null;
        }
        String p = "drift";
        f.knownKeys(d, p, DRIFT);
        String method = f.choice(d, p, "method", DRIFT_METHODS);
        String correction = f.choice(d, p, "correction", CORRECTIONS);
        Double share = f.number(d, p, "drift_share", 0, true, 1, "0.3");
        Long windowRows = f.integer(d, p, "window_rows", 10, 100_000_000, "10000");
        String schedule = f.string(d, p, "schedule");
        return new Drift(method == null ? Drift.DEFAULT_METHOD : method, correction == null ? Drift.DEFAULT_CORRECTION : correction,
                share == null ? Drift.DEFAULT_DRIFT_SHARE : share, windowRows == null ? Drift.DEFAULT_WINDOW_ROWS : windowRows.intValue(),
                schedule == null ? Drift.DEFAULT_SCHEDULE : schedule);
    }

    private static Retrain retrain(JsonNode r, Fields f) {
        if (r == null) {
            return null;
        }
        String p = "retrain";
        f.knownKeys(r, p, RETRAIN);
        String webhook = f.string(r, p, "webhook");
        if (webhook == null && !Fields.present(r, "webhook")) {
            f.problem("retrain.webhook", "is required; give the URL that starts retraining, e.g. "
                    + "https://jenkins.example.com/mlops-webhook/retrain");
        } else if (webhook != null && !(webhook.startsWith("https://") || webhook.startsWith("http://") || webhook.startsWith("job/"))) {
            f.problem("retrain.webhook", "'" + webhook + "' is not an http(s) URL or job/<name>/buildWithParameters; give the full URL");
        } else if (webhook != null && SECRET_IN_URL.matcher(webhook).find()) {
            f.problem("retrain.webhook", "carries a secret in its query string; remove it and keep the secret in the Jenkins "
                    + "credential named by secret_credentials_id");
        }
        String job = f.string(r, p, "job");
        String secret = f.string(r, p, "secret_credentials_id");
        Long cooldown = f.integer(r, p, "cooldown_minutes", 0, 60L * 24 * 365, "360");
        Long maxPerDay = f.integer(r, p, "max_per_day", 1, 1000, "2");
        String mode = f.choice(r, p, "mode", RETRAIN_MODES);
        return new Retrain(webhook, job, secret, cooldown == null ? Retrain.DEFAULT_COOLDOWN_MINUTES : cooldown.intValue(),
                maxPerDay == null ? Retrain.DEFAULT_MAX_PER_DAY : maxPerDay.intValue(), mode == null ? Retrain.DEFAULT_MODE : mode);
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "syntax error";
        }
        String[] lines = message.strip().split("\\R");
        StringBuilder out = new StringBuilder();
        for (String line : lines) {
            if (line.isBlank() || line.strip().startsWith("^") || line.startsWith(" in 'reader'") || line.contains("line ") && line.contains("column ")) {
                continue;
            }
            if (out.length() > 0) {
                out.append(' ');
            }
            out.append(line.strip());
        }
        return out.length() == 0 ? lines[0].strip() : out.toString();
    }

    /** Every problem of {@code problems}, one per line, as the CLI prints them. */
    public static List<String> lines(List<ConfigProblem> problems) {
        List<String> out = new ArrayList<>();
        for (ConfigProblem p : problems) {
            out.add(p.toString());
        }
        return out;
    }
}
