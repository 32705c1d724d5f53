package dev.mlops.drift;

import dev.mlops.error.InvalidInputException;
import dev.mlops.registry.ModelRef;
import dev.mlops.registry.ModelRegistry;
import dev.mlops.registry.ModelVersion;
import dev.mlops.storage.ArtifactStores;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The "is production traffic drifting?" use case shared by {@code mlops drift}, {@code mlops monitor} and
 * the Jenkins step: resolve the model version, load its reference profile, stream the current window,
 * analyse, write drift.json and drift.html. A retrain trigger acts on {@link Result#report()} afterwards.
 */
public final class DriftCheck {
    public static final String DEFAULT_REPORT_DIR = ".mlops/reports/drift";

    /**
     * @param model         NAME, NAME:VERSION or NAME@ALIAS (may be null when {@code referenceProfile} is given)
     * @param referenceProfile a profile file to use instead of the registered one (may be null)
     * @param current       a folder of inference logs or a CSV file
     * @param maxRows       stop after this many current rows (0 = all)
     */
    public record Input(String registry, String model, String referenceProfile, String current, Instant since, Instant until,
                        long maxRows, DriftSettings settings, String reportDir) {
    }

    public record Result(DriftReport report, Path json, Path html) {
    }

    private DriftCheck() {
    }

    public static Result run(Input input, Path workingDir, Map<String, String> env, Clock clock) {
        if (input.model() == null && input.referenceProfile() == null) {
            throw new InvalidInputException("model: missing; pass --model NAME[:VERSION|@ALIAS] (or --reference-profile FILE)");
        }
        if (input.current() == null) {
            throw new InvalidInputException("current: missing; pass --current LOGDIR (the server's --log-dir) or a CSV file");
        }
        if (input.since() != null && input.until() != null && !input.since().isBefore(input.until())) {
            throw new InvalidInputException("since: " + input.since() + " is not before until " + input.until() + "; swap them");
        }
        String modelName = null;
        Integer version = null;
        ReferenceProfile profile;
        if (input.referenceProfile() != null) {
            profile = ReferenceProfiles.read(workingDir.resolve(input.referenceProfile()));
            if (input.model() != null) {
                ModelRef ref = ModelRef.parse(input.model());
                modelName = ref.model();
                version = ref.version();
            }
        } else {
            try (ModelRegistry registry = new ModelRegistry(
                    ArtifactStores.open(ArtifactStores.resolveUri(input.registry(), env), workingDir, env), clock)) {
                ModelVersion v = registry.get(ModelRef.parse(input.model()));
                modelName = v.model();
                version = v.version();
                profile = ReferenceProfiles.load(registry, v);
            }
        }
        DriftSettings settings = input.settings() == null ? DriftSettings.defaults() : input.settings();
        CurrentWindow window = new CurrentWindow(profile, CurrentWindow.DEFAULT_SAMPLE_CAP, profile.seed() + 1000);
        Path current = workingDir.resolve(input.current());
        if (Files.isDirectory(current)) {
            CurrentSources.logs(window, current, new CurrentSources.LogFilter(input.since(), input.until(), modelName, null, input.maxRows()));
        } else if (Files.isRegularFile(current)) {
            if (input.since() != null || input.until() != null) {
                throw new InvalidInputException("since/until: a CSV has no timestamps; pass the log folder for a time window, or drop --since/--until");
            }
            CurrentSources.csv(window, current, input.maxRows());
        } else {
            throw new InvalidInputException("current: " + current + " does not exist; pass the server's --log-dir or a CSV file");
        }
        DriftReport report = DriftAnalyzer.analyze(window, settings, modelName, version, input.since(), input.until(), clock.instant());
        Path dir = workingDir.resolve(input.reportDir() == null ? DEFAULT_REPORT_DIR : input.reportDir());
        List<Path> files = DriftReports.write(report, dir);
        return new Result(report, files.get(0), files.get(1));
    }
}
