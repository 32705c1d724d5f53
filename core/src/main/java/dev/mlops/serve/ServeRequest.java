package dev.mlops.serve;

import dev.mlops.error.InvalidInputException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * What to serve from the registry, as a user says it: the primary references ({@code NAME},
 * {@code NAME:VERSION}, {@code NAME@ALIAS}), an optional canary and shadow (other versions of one of
 * those models), the sticky-cohort header, the routing seed and the folder downloads go to.
 * {@link RegistryPlan#resolve} turns it into versions and policies.
 */
public record ServeRequest(List<String> models, String canary, int canaryWeight, String shadow, String cohortHeader, long seed,
                           Path cacheDir) {
    public ServeRequest {
        models = List.copyOf(models);
        Objects.requireNonNull(cacheDir, "cacheDir");
        if (models.isEmpty()) {
            throw new InvalidInputException("model: none given; pass --model NAME[@ALIAS|:VERSION], e.g. --model churn@production");
        }
    }

    /** Serve {@code models} as they are: no canary, no shadow, seed 0. */
    public static ServeRequest of(Path cacheDir, String... models) {
        return new ServeRequest(List.of(models), null, 0, null, null, 0L, cacheDir);
    }

    public ServeRequest withCanary(String ref, int weight) {
        return new ServeRequest(models, ref, weight, shadow, cohortHeader, seed, cacheDir);
    }

    public ServeRequest withShadow(String ref) {
        return new ServeRequest(models, canary, canaryWeight, ref, cohortHeader, seed, cacheDir);
    }

    public ServeRequest withCohortHeader(String header) {
        return new ServeRequest(models, canary, canaryWeight, shadow, header, seed, cacheDir);
    }

    public ServeRequest withSeed(long newSeed) {
        return new ServeRequest(models, canary, canaryWeight, shadow, cohortHeader, newSeed, cacheDir);
    }
}
