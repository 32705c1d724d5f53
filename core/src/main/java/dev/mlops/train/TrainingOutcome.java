package dev.mlops.train;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.mlops.json.Json;
import java.util.LinkedHashMap;
import java.util.Map;

/** The run a training request ended with, and whether it was an earlier run reused instead of training. */
public record TrainingOutcome(RunRecord run, boolean reused) {
    /** The run record (schema {@value RunRecord#SCHEMA}) plus {@code "reused"}: the CLI's --json and the step's return value. */
    public Map<String, Object> document() {
        Map<String, Object> document = new LinkedHashMap<>(Json.mapper().convertValue(run, new TypeReference<Map<String, Object>>() { }));
        document.put("reused", reused);
        return document;
    }
}
