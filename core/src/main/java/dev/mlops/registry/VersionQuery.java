package dev.mlops.registry;

import java.util.List;
import java.util.Map;

/**
 * Search criteria; every given criterion must hold. {@code model} may be a glob ({@code churn-*}).
 */
public record VersionQuery(String model, Map<String, String> tags, String alias, List<MetricFilter> metrics,
                           boolean includeArchived) {
    public static final VersionQuery ALL = new VersionQuery(null, Map.of(), null, List.of(), false);

    public VersionQuery {
        tags = tags == null ? Map.of() : Map.copyOf(tags);
        metrics = metrics == null ? List.of() : List.copyOf(metrics);
    }
}
