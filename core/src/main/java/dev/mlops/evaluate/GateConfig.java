package dev.mlops.evaluate;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.error.InvalidInputException;
import dev.mlops.json.Json;
import dev.mlops.model.ModelSchema;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The promotion gate: which metrics must improve (or not get worse), how sure the bootstrap must
 * be, and what happens without a baseline. Written as JSON with snake_case keys:
 *
 * <pre>{@code
 * {"gate": {
 *   "metrics": [
 *     {"name": "accuracy", "min_absolute_change": 0.005, "min_relative_change": 0.01},
 *     {"name": "log_loss", "mode": "non_inferiority", "margin": 0.01}],
 *   "confidence_level": 0.95, "bootstrap_resamples": 1000, "seed": 42,
 *   "first_model_policy": "pass",
 *   "slice_gate": {"columns": ["region"], "metric": "accuracy", "min_value": 0.7, "max_gap": 0.1, "min_rows": 30}}}
 * }</pre>
 *
 * {@link #parse} reports every problem at once, each with its path. Semantics of each rule are on
 * {@link MetricGate} and {@link SliceGate}.
 *
 * @param metrics          at least one metric rule, at most one per metric
 * @param firstModelPolicy what to decide without a baseline
 * @param confidenceLevel  of the bootstrap intervals, in [0.5, 1)
 * @param resamples        bootstrap resamples, in [100, 1000000]
 * @param seed             bootstrap seed
 * @param sliceGate        optional worst-slice rule, or null
 */
public record GateConfig(List<MetricGate> metrics, FirstModelPolicy firstModelPolicy, double confidenceLevel,
                         int resamples, long seed, SliceGate sliceGate) {
    public static final double DEFAULT_CONFIDENCE_LEVEL = 0.95;
    public static final int DEFAULT_RESAMPLES = 1000;
    public static final long DEFAULT_SEED = PairedBootstrap.DEFAULT_SEED;
    public static final int MIN_RESAMPLES = 100;
    public static final int MAX_RESAMPLES = 1_000_000;

    static final String MUST_BE_NUMBER = "must be a number";
    static final String MUST_BE_INTEGER = "must be an integer";
    static final String MUST_BE_STRING = "must be a string";
    static final String MUST_BE_OBJECT = "must be an object";
    static final String MUST_BE_STRING_ARRAY = "must be a non-empty array of strings";
    static final String MUST_BE_NON_NEGATIVE = "must be >= 0";
    static final String REQUIRED = "is required";
    static final String UNKNOWN_FIELD = "unknown field";
    static final String THRESHOLDS_NEED_SUPERIORITY =
            "min_absolute_change and min_relative_change apply to mode superiority; for non_inferiority set margin";
    static final String MARGIN_NEEDS_NON_INFERIORITY = "margin applies to mode non_inferiority only";
    static final String SLICE_GATE_NEEDS_LIMIT = "needs at least one of min_value, max_value, max_gap";

    private static final Set<String> GATE_FIELDS = Set.of("metrics", "first_model_policy", "confidence_level",
            "bootstrap_resamples", "seed", "slice_gate");
    private static final Set<String> METRIC_FIELDS = Set.of("name", "direction", "min_absolute_change",
            "min_relative_change", "mode", "margin");
    private static final Set<String> SLICE_FIELDS = Set.of("columns", "metric", "min_value", "max_value", "max_gap",
            "min_rows");

    public GateConfig {
        metrics = List.copyOf(metrics);
        Objects.requireNonNull(firstModelPolicy, "firstModelPolicy");
        if (metrics.isEmpty()) {
            throw new InvalidInputException("gate.metrics: must list at least one metric");
        }
        Set<Metric> seen = new HashSet<>();
        for (MetricGate m : metrics) {
            if (!seen.add(m.metric())) {
                throw new InvalidInputException("gate.metrics: " + m.metric().id() + " is listed twice; keep one rule per metric");
            }
        }
        if (!(confidenceLevel >= 0.5 && confidenceLevel < 1)) {
            throw new InvalidInputException("gate.confidence_level: " + confidenceLevel + " not in [0.5, 1)");
        }
        if (resamples < MIN_RESAMPLES || resamples > MAX_RESAMPLES) {
            throw new InvalidInputException("gate.bootstrap_resamples: " + resamples + " not in " + MIN_RESAMPLES + ".." + MAX_RESAMPLES);
        }
    }

    /** Gates on the given metrics (superiority, no minimum change) with every default. */
    public static GateConfig of(List<MetricGate> metrics) {
        return new GateConfig(metrics, FirstModelPolicy.PASS, DEFAULT_CONFIDENCE_LEVEL, DEFAULT_RESAMPLES, DEFAULT_SEED, null);
    }

    /** Superiority on accuracy (classification) or RMSE (regression), every other default. */
    public static GateConfig defaultFor(String task) {
        Metric metric = ModelSchema.CLASSIFICATION.equals(task) ? Metric.ACCURACY : Metric.RMSE;
        return of(List.of(MetricGate.superiority(metric)));
    }

    public GateConfig withFirstModelPolicy(FirstModelPolicy value) {
        return new GateConfig(metrics, value, confidenceLevel, resamples, seed, sliceGate);
    }

    public GateConfig withConfidenceLevel(double value) {
        return new GateConfig(metrics, firstModelPolicy, value, resamples, seed, sliceGate);
    }

    public GateConfig withResamples(int value) {
        return new GateConfig(metrics, firstModelPolicy, confidenceLevel, value, seed, sliceGate);
    }

    public GateConfig withSeed(long value) {
        return new GateConfig(metrics, firstModelPolicy, confidenceLevel, resamples, value, sliceGate);
    }

    public GateConfig withSliceGate(SliceGate value) {
        return new GateConfig(metrics, firstModelPolicy, confidenceLevel, resamples, seed, value);
    }

    /** Reads a gate config file (see the class comment for the format). */
    public static GateConfig read(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new InvalidInputException("gate config " + file + " does not exist; check the path");
        } catch (IOException e) {
            throw new InvalidInputException("cannot read gate config " + file + ": " + e.getMessage(), e);
        }
        return parse(text, file.toString());
    }

    public static GateConfig parse(String json, String source) {
        JsonNode root;
        try {
            root = Json.mapper().readTree(json);
        } catch (JsonProcessingException e) {
            throw new InvalidInputException("gate config " + source + " is not valid JSON: "
                    + e.getOriginalMessage() + " at line " + e.getLocation().getLineNr() + "; fix the JSON syntax", e);
        }
        if (root == null || !root.isObject()) {
            throw new GateConfigException(source, List.of("gate: " + MUST_BE_OBJECT));
        }
        JsonNode gate = root.has("gate") ? root.get("gate") : root;
        return parse(gate, source);
    }

    /** Parses the gate object (the value of the {@code gate} key); collects every problem. */
    public static GateConfig parse(JsonNode gate, String source) {
        List<String> problems = new ArrayList<>();
        if (gate == null || !gate.isObject()) {
            throw new GateConfigException(source, List.of("gate: " + MUST_BE_OBJECT));
        }
        unknownFields(gate, GATE_FIELDS, "gate", problems);

        List<MetricGate> metrics = new ArrayList<>();
        JsonNode list = gate.get("metrics");
        if (list == null) {
            problems.add("gate.metrics: " + REQUIRED + "; list at least one metric, e.g. [{\"name\": \"accuracy\"}]");
        } else if (!list.isArray() || list.isEmpty()) {
            problems.add("gate.metrics: must be a non-empty array of metric rules");
        } else {
            Set<Metric> seen = new HashSet<>();
            for (int i = 0; i < list.size(); i++) {
                MetricGate m = metricGate(list.get(i), "gate.metrics[" + i + "]", problems);
                if (m != null && !seen.add(m.metric())) {
                    problems.add("gate.metrics[" + i + "].name: " + m.metric().id() + " is listed twice; keep one rule per metric");
                } else if (m != null) {
                    metrics.add(m);
                }
            }
        }

        FirstModelPolicy policy = FirstModelPolicy.PASS;
        String policyText = string(gate, "first_model_policy", "gate", problems);
        if (policyText != null) {
            try {
                policy = FirstModelPolicy.fromId(policyText);
            } catch (IllegalArgumentException e) {
                problems.add("gate.first_model_policy: '" + policyText + "' is unknown; use pass, fail or require_approval");
            }
        }
        double level = DEFAULT_CONFIDENCE_LEVEL;
        Double levelValue = number(gate, "confidence_level", "gate", problems);
        if (levelValue != null) {
            if (levelValue >= 0.5 && levelValue < 1) {
                level = levelValue;
            } else {
                problems.add("gate.confidence_level: " + levelValue + " not in [0.5, 1); use e.g. 0.95");
            }
        }
        int resamples = DEFAULT_RESAMPLES;
        Long resamplesValue = integer(gate, "bootstrap_resamples", "gate", problems);
        if (resamplesValue != null) {
            if (resamplesValue >= MIN_RESAMPLES && resamplesValue <= MAX_RESAMPLES) {
                resamples = resamplesValue.intValue();
            } else {
                problems.add("gate.bootstrap_resamples: " + resamplesValue + " not in " + MIN_RESAMPLES + ".." + MAX_RESAMPLES);
            }
        }
        long seed = DEFAULT_SEED;
        Long seedValue = integer(gate, "seed", "gate", problems);
        if (seedValue != null) {
            seed = seedValue;
        }
        SliceGate sliceGate = null;
        if (gate.has("slice_gate") && !gate.get("slice_gate").isNull()) {
            sliceGate = sliceGate(gate.get("slice_gate"), "gate.slice_gate", problems);
        }
        if (!problems.isEmpty()) {
            throw new GateConfigException(source, problems);
        }
        return new GateConfig(metrics, policy, level, resamples, seed, sliceGate);
    }

    private static MetricGate metricGate(JsonNode node, String path, List<String> problems) {
        if (!node.isObject()) {
            problems.add(path + ": " + MUST_BE_OBJECT + " like {\"name\": \"accuracy\"}");
            return null;
        }
        int before = problems.size();
        unknownFields(node, METRIC_FIELDS, path, problems);
        Metric metric = null;
        String name = string(node, "name", path, problems);
        if (name == null && !node.has("name")) {
            problems.add(path + ".name: " + REQUIRED + "; use one of " + Metric.ids());
        } else if (name != null) {
            metric = Metric.byId(name).orElse(null);
            if (metric == null) {
                problems.add(path + ".name: '" + name + "' is not a metric; use one of " + Metric.ids());
            }
        }
        Direction direction = null;
        String directionText = string(node, "direction", path, problems);
        if (directionText != null) {
            if (directionText.equals("higher_is_better")) {
                direction = Direction.HIGHER_IS_BETTER;
            } else if (directionText.equals("lower_is_better")) {
                direction = Direction.LOWER_IS_BETTER;
            } else {
                problems.add(path + ".direction: '" + directionText + "' is unknown; use higher_is_better or lower_is_better");
            }
        }
        GateMode mode = GateMode.SUPERIORITY;
        String modeText = string(node, "mode", path, problems);
        if (modeText != null) {
            if (modeText.equals("superiority")) {
                mode = GateMode.SUPERIORITY;
            } else if (modeText.equals("non_inferiority")) {
                mode = GateMode.NON_INFERIORITY;
            } else {
                problems.add(path + ".mode: '" + modeText + "' is unknown; use superiority or non_inferiority");
            }
        }
        Double absolute = nonNegative(node, "min_absolute_change", path, problems);
        Double relative = nonNegative(node, "min_relative_change", path, problems);
        Double margin = nonNegative(node, "margin", path, problems);
        if (mode == GateMode.NON_INFERIORITY) {
            if (absolute != null || relative != null) {
                problems.add(path + ": " + THRESHOLDS_NEED_SUPERIORITY);
            }
            if (margin == null && !node.has("margin")) {
                problems.add(path + ".margin: " + REQUIRED + " for mode non_inferiority, e.g. 0.01");
            }
        } else if (margin != null) {
            problems.add(path + ".margin: " + MARGIN_NEEDS_NON_INFERIORITY + "; remove it or set \"mode\": \"non_inferiority\"");
        }
        if (problems.size() > before || metric == null) {
            return null;
        }
        return new MetricGate(metric, direction, absolute == null ? 0 : absolute, relative == null ? 0 : relative, mode,
                margin == null ? 0 : margin);
    }

    private static SliceGate sliceGate(JsonNode node, String path, List<String> problems) {
        if (!node.isObject()) {
            problems.add(path + ": " + MUST_BE_OBJECT);
            return null;
        }
        int before = problems.size();
        unknownFields(node, SLICE_FIELDS, path, problems);
        List<String> columns = new ArrayList<>();
        JsonNode cols = node.get("columns");
        if (cols == null) {
            problems.add(path + ".columns: " + REQUIRED + ", e.g. [\"region\"]");
        } else if (!cols.isArray() || cols.isEmpty()) {
            problems.add(path + ".columns: " + MUST_BE_STRING_ARRAY);
        } else {
            for (int i = 0; i < cols.size(); i++) {
                if (!cols.get(i).isTextual() || cols.get(i).asText().isBlank()) {
                    problems.add(path + ".columns[" + i + "]: must be a column name");
                } else {
                    columns.add(cols.get(i).asText());
                }
            }
        }
        Metric metric = null;
        String name = string(node, "metric", path, problems);
        if (name == null && !node.has("metric")) {
            problems.add(path + ".metric: " + REQUIRED + "; use one of " + Metric.ids());
        } else if (name != null) {
            metric = Metric.byId(name).orElse(null);
            if (metric == null) {
                problems.add(path + ".metric: '" + name + "' is not a metric; use one of " + Metric.ids());
            }
        }
        Double minValue = number(node, "min_value", path, problems);
        Double maxValue = number(node, "max_value", path, problems);
        Double maxGap = nonNegative(node, "max_gap", path, problems);
        if (metric != null && minValue != null && metric.direction() != Direction.HIGHER_IS_BETTER) {
            problems.add(path + ".min_value: " + metric.id() + " is lower-is-better; use max_value");
        }
        if (metric != null && maxValue != null && metric.direction() != Direction.LOWER_IS_BETTER) {
            problems.add(path + ".max_value: " + metric.id() + " is higher-is-better; use min_value");
        }
        if (minValue == null && maxValue == null && maxGap == null && !node.has("min_value") && !node.has("max_value")
                && !node.has("max_gap")) {
            problems.add(path + ": " + SLICE_GATE_NEEDS_LIMIT);
        }
        int minRows = SliceGate.DEFAULT_MIN_ROWS;
        Long minRowsValue = integer(node, "min_rows", path, problems);
        if (minRowsValue != null) {
            if (minRowsValue >= 1 && minRowsValue <= Integer.MAX_VALUE) {
                minRows = minRowsValue.intValue();
            } else {
                problems.add(path + ".min_rows: " + minRowsValue + " must be at least 1");
            }
        }
        if (problems.size() > before || metric == null) {
            return null;
        }
        return new SliceGate(columns, metric, minValue, maxValue, maxGap, minRows);
    }

    /** The config in the file syntax, for echoing in reports. */
    public Map<String, Object> toDocument() {
        Map<String, Object> doc = new LinkedHashMap<>();
        List<Map<String, Object>> list = new ArrayList<>();
        for (MetricGate m : metrics) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("name", m.metric().id());
            e.put("direction", m.direction().id());
            e.put("mode", m.mode().id());
            if (m.mode() == GateMode.SUPERIORITY) {
                e.put("min_absolute_change", m.minAbsoluteChange());
                e.put("min_relative_change", m.minRelativeChange());
            } else {
                e.put("margin", m.margin());
            }
            list.add(e);
        }
        doc.put("metrics", list);
        doc.put("first_model_policy", firstModelPolicy.id());
        doc.put("confidence_level", confidenceLevel);
        doc.put("bootstrap_resamples", resamples);
        doc.put("seed", seed);
        if (sliceGate != null) {
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("columns", sliceGate.columns());
            s.put("metric", sliceGate.metric().id());
            if (sliceGate.minValue() != null) {
                s.put("min_value", sliceGate.minValue());
            }
            if (sliceGate.maxValue() != null) {
                s.put("max_value", sliceGate.maxValue());
            }
            if (sliceGate.maxGap() != null) {
                s.put("max_gap", sliceGate.maxGap());
            }
            s.put("min_rows", sliceGate.minRows());
            doc.put("slice_gate", s);
        }
        return doc;
    }

    private static void unknownFields(JsonNode node, Set<String> known, String path, List<String> problems) {
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!known.contains(f)) {
                problems.add(path + "." + f + ": " + UNKNOWN_FIELD + "; known fields are " + known.stream().sorted().toList());
            }
        }
    }

    private static String string(JsonNode node, String field, String path, List<String> problems) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            problems.add(path + "." + field + ": " + MUST_BE_STRING);
            return null;
        }
        return v.asText();
    }

    private static Double number(JsonNode node, String field, String path, List<String> problems) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isNumber() || !Double.isFinite(v.asDouble())) {
            problems.add(path + "." + field + ": " + MUST_BE_NUMBER);
            return null;
        }
        return v.asDouble();
    }

    private static Double nonNegative(JsonNode node, String field, String path, List<String> problems) {
        Double v = number(node, field, path, problems);
        if (v != null && v < 0) {
            problems.add(path + "." + field + ": " + v + " " + MUST_BE_NON_NEGATIVE
                    + ("min_absolute_change".equals(field)
                    ? "; to allow a small loss use \"mode\": \"non_inferiority\" with a margin" : ""));
            return null;
        }
        return v;
    }

    private static Long integer(JsonNode node, String field, String path, List<String> problems) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isIntegralNumber() || !v.canConvertToLong()) {
            problems.add(path + "." + field + ": " + MUST_BE_INTEGER);
            return null;
        }
        return v.asLong();
    }
}
