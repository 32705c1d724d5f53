package dev.mlops.serve;

import dev.mlops.error.InvalidInputException;
import dev.mlops.registry.ModelRef;
import dev.mlops.registry.ModelRegistry;
import dev.mlops.registry.ModelVersion;
import dev.mlops.storage.TransferListener;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@link ServeRequest} resolved against the registry: aliases become version numbers, every
 * version gets a folder {@code cacheDir/NAME/VERSION}, every model a {@link TrafficPolicy}.
 * {@link #factory} downloads a version (SHA-256 verified by the registry) when the server loads it,
 * so the listener is bound, and a taken port reported, before any download starts.
 */
public record RegistryPlan(List<ModelSpec> models, List<TrafficPolicy> policies, Map<Path, ModelRef> downloads) {
    public RegistryPlan {
        models = List.copyOf(models);
        policies = List.copyOf(policies);
        downloads = Map.copyOf(downloads);
    }

    public static RegistryPlan resolve(ModelRegistry registry, ServeRequest request) {
        Map<Path, ModelSpec> specs = new LinkedHashMap<>();
        Map<Path, ModelRef> downloads = new LinkedHashMap<>();
        List<TrafficPolicy> policies = new ArrayList<>();
        List<String> served = new ArrayList<>();
        for (String text : request.models()) {
            ModelVersion primary = registry.get(ModelRef.parse(text));
            if (served.contains(primary.model())) {
                throw new InvalidInputException("model: " + primary.model() + " is given twice; serve each model once and add versions with --canary or --shadow");
            }
            served.add(primary.model());
            add(specs, downloads, request.cacheDir(), primary);
            TrafficPolicy policy = TrafficPolicy.primaryOnly(primary.model(), primary.version()).withSeed(request.seed())
                    .withCohortHeader(request.cohortHeader());
            ModelVersion canary = candidate(registry, request.canary(), primary.model());
            if (canary != null) {
                add(specs, downloads, request.cacheDir(), canary);
                policy = policy.withCanary(canary.version(), request.canaryWeight());
            }
            ModelVersion shadow = candidate(registry, request.shadow(), primary.model());
            if (shadow != null) {
                add(specs, downloads, request.cacheDir(), shadow);
                policy = policy.withShadow(shadow.version());
            }
            policies.add(policy);
        }
        checkServed("canary", request.canary(), served);
        checkServed("shadow", request.shadow(), served);
        return new RegistryPlan(new ArrayList<>(specs.values()), policies, downloads);
    }

    /** Adds the models and policies to a server configuration. */
    public ServerConfig.Builder applyTo(ServerConfig.Builder builder) {
        models.forEach(builder::addModel);
        policies.forEach(builder::optPolicy);
        return builder;
    }

    /** Downloads a planned folder from {@code registry}, then loads it with {@code loader}. */
    public PredictorFactory factory(ModelRegistry registry, PredictorFactory loader, TransferListener listener) {
        return dir -> {
            ModelRef ref = downloads.get(dir);
            if (ref == null) {
                throw new IllegalArgumentException("no planned version for " + dir);
            }
            registry.download(ref, dir, listener);
            return loader.load(dir);
        };
    }

    private static void add(Map<Path, ModelSpec> specs, Map<Path, ModelRef> downloads, Path cacheDir, ModelVersion version) {
        ModelSpec spec = spec(cacheDir, version);
        specs.putIfAbsent(spec.dir(), spec);
        downloads.putIfAbsent(spec.dir(), new ModelRef(version.model(), version.version(), null));
    }

    /** Where a registry version is downloaded ({@code cacheDir/NAME/VERSION}) and the platform its metadata reports. */
    static ModelSpec spec(Path cacheDir, ModelVersion version) {
        Path dir = cacheDir.resolve(version.model()).resolve(Integer.toString(version.version())).normalize();
        String platform = "onnx".equals(version.format()) ? "onnxruntime_onnx" : "mlops_" + version.format();
        return new ModelSpec(version.model(), version.version(), dir, platform);
    }

    /** The --canary/--shadow version when it names {@code model}, else null. */
    private static ModelVersion candidate(ModelRegistry registry, String text, String model) {
        if (text == null) {
            return null;
        }
        ModelRef ref = ModelRef.parse(text);
        return ref.model().equals(model) ? registry.get(ref) : null;
    }

    private static void checkServed(String option, String text, List<String> served) {
        if (text != null && !served.contains(ModelRef.parse(text).model())) {
            throw new InvalidInputException(option + ": " + text + " is not a version of a served model (" + String.join(", ", served)
                    + "); a " + option + " must be another version of the same model, e.g. --" + option + " " + served.get(0) + ":4");
        }
    }
}
