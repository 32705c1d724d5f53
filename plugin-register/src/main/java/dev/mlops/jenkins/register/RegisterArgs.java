package dev.mlops.jenkins.register;

import dev.mlops.registry.Registration;
import java.io.Serializable;
import java.util.List;
import java.util.Map;

/**
 * The step's arguments as plain serializable values, sent to the agent inside
 * {@link RegisterOnAgent}. Metric, param and tag values are already text.
 */
record RegisterArgs(String registry, String model, List<String> paths, String format, String description,
                    Map<String, String> metrics, Map<String, String> params, Map<String, String> tags,
                    List<String> datasets, String alias, String reason) implements Serializable {

    RegisterArgs {
        paths = List.copyOf(paths);
        metrics = Map.copyOf(metrics);
        params = Map.copyOf(params);
        tags = Map.copyOf(tags);
        datasets = List.copyOf(datasets);
    }

    Registration.Input toInput() {
        return new Registration.Input(registry, model, paths, format, description, metrics, params, tags,
                datasets, alias, reason, null);
    }

    private static final long serialVersionUID = 1L;
}
