package dev.mlops.retrain;

import dev.mlops.error.InvalidInputException;
import dev.mlops.registry.Names;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Why a model should be retrained: which version drifted, a one-line reason and a free summary
 * (drift detection fills it with per-feature scores), plus a link to the full report.
 */
public record RetrainRequest(String model, String version, String reason, Map<String, Object> summary, URI reportLink) {
    public RetrainRequest {
        Names.model(model);
        if (reason == null || reason.isBlank()) {
            throw new InvalidInputException("retrain reason: empty; say why, e.g. \"drift in 7 of 25 features (PSI > 0.2)\"");
        }
        summary = summary == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(summary));
        if (reportLink != null && !reportLink.isAbsolute()) {
            throw new InvalidInputException("retrain reportLink: '" + reportLink + "' is not an absolute URI; use https://... or file:/...");
        }
    }
}
