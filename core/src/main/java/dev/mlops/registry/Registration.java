package dev.mlops.registry;

import dev.mlops.error.InvalidInputException;
import dev.mlops.lineage.Lineage;
import dev.mlops.lineage.LineageCollector;
import dev.mlops.storage.ArtifactStores;
import dev.mlops.storage.TransferListener;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The whole "register a model" use case shared by the CLI and the Jenkins steps: open the
 * registry, capture lineage, register, optionally point an alias at the new version.
 */
public final class Registration {

    /** Raw user input; metric values arrive as text so errors can name the bad value. */
    public record Input(String registry, String model, List<String> paths, String format, String description,
                        Map<String, String> metrics, Map<String, String> params, Map<String, String> tags,
                        List<String> datasets, String alias, String reason, String runId) {
        public Input {
            paths = paths == null ? List.of() : List.copyOf(paths);
            metrics = metrics == null ? Map.of() : Map.copyOf(metrics);
            params = params == null ? Map.of() : Map.copyOf(params);
            tags = tags == null ? Map.of() : Map.copyOf(tags);
            datasets = datasets == null ? List.of() : List.copyOf(datasets);
        }
    }

    private record Registered(VersionView view, String location) {
    }

    private Registration() {
    }

    public static VersionView register(Input input, Path workingDir, Map<String, String> env, Clock clock,
                                       TransferListener listener) {
        return registerWithLocation(input, null, workingDir, env, clock, listener).view();
    }

    /** Registers and returns the version's document (schema {@value VersionDocument#SCHEMA}) with the registry location. */
    public static Map<String, Object> registerDocument(Input input, Path workingDir, Map<String, String> env, Clock clock,
                                                       TransferListener listener) {
        return registerDocument(input, null, workingDir, env, clock, listener);
    }

    /**
     * As {@link #registerDocument(Input, Path, Map, Clock, TransferListener)}, recording {@code trainingLineage}
     * (the commit, data and build of the training run) instead of what the working directory holds now.
     */
    public static Map<String, Object> registerDocument(Input input, Lineage trainingLineage, Path workingDir, Map<String, String> env,
                                                       Clock clock, TransferListener listener) {
        Registered registered = registerWithLocation(input, trainingLineage, workingDir, env, clock, listener);
        return VersionDocument.of(registered.view(), registered.location());
    }

    private static Registered registerWithLocation(Input input, Lineage trainingLineage, Path workingDir, Map<String, String> env,
                                                   Clock clock, TransferListener listener) {
        Names.model(input.model());
        if (input.alias() != null) {
            Names.alias(input.alias());
        }
        Map<String, Double> metrics = parseMetrics(input.metrics());
        Lineage lineage = trainingLineage != null ? trainingLineage
                : new LineageCollector(clock).collect(workingDir, input.datasets().stream().map(Path::of).toList(), env);
        if (input.runId() != null) {
            lineage = lineage.withRunId(input.runId());
        }
        Caller caller = Caller.fromEnvironment(env);
        try (ModelRegistry registry = new ModelRegistry(
                ArtifactStores.open(ArtifactStores.resolveUri(input.registry(), env), workingDir, env), clock)) {
            ModelVersion version = registry.register(new RegisterRequest(input.model(),
                    input.paths().stream().map(workingDir::resolve).toList(), input.format(), input.description(),
                    metrics, input.params(), input.tags(), lineage, input.reason()), caller, listener);
            if (input.alias() != null) {
                registry.setAlias(version.model(), input.alias(), version.version(), null, caller,
                        input.reason() != null ? input.reason() : "registered " + version.ref());
            }
            RegisteredModel model = registry.model(version.model());
            return new Registered(new VersionView(version, model.aliasesOf(version.version()), false), registry.location());
        }
    }

    public static Map<String, Double> parseMetrics(Map<String, String> raw) {
        Map<String, Double> metrics = new TreeMap<>();
        raw.forEach((name, text) -> {
            double value;
            try {
                value = Double.parseDouble(text == null ? "" : text.trim());
            } catch (NumberFormatException e) {
                throw new InvalidInputException("metrics." + name + ": '" + text + "' is not a number; pass e.g. " + name + "=0.93");
            }
            if (!Double.isFinite(value)) {
                throw new InvalidInputException("metrics." + name + ": " + text + " is not a finite number; pass e.g. " + name + "=0.93");
            }
            metrics.put(name, value);
        });
        return metrics;
    }
}
