package dev.mlops.drift;

import dev.mlops.error.InvalidInputException;
import dev.mlops.error.NotFoundException;
import dev.mlops.model.ModelLoader;
import dev.mlops.model.ModelSchema;
import dev.mlops.model.Predictor;
import dev.mlops.registry.ModelRegistry;
import dev.mlops.registry.ModelVersion;
import dev.mlops.registry.Registration;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** Where reference profiles live: computed at registration, stored as a file of the version, read back for drift. */
public final class ReferenceProfiles {
    private ReferenceProfiles() {
    }

    /**
     * A registration input with the reference profile added as the version file {@value ReferenceProfile#FILE}.
     * Close it after registering: it removes the temporary folder holding the profile.
     */
    public record Attached(Registration.Input input, ReferenceProfile profile, Path tempDir) implements AutoCloseable {
        @Override
        public void close() {
            try (Stream<Path> files = Files.walk(tempDir)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            } catch (IOException ignored) {
                // a temporary folder left behind holds only a copy of the profile
            }
        }
    }

    /**
     * Profiles {@code referenceCsv} (relative paths start at {@code workingDir}). When the registered path is a
     * model folder with {@code schema.json}, its features (in input order) and label shape the profile, and
     * the model's predictions on the same rows are profiled if it can be loaded here.
     */
    public static Attached attach(Registration.Input input, String referenceCsv, Path workingDir, Clock clock) {
        Path csv = workingDir.resolve(referenceCsv);
        if (!Files.isRegularFile(csv)) {
            throw new InvalidInputException("reference-data: " + csv + " is not a file; pass the training CSV the model was trained on");
        }
        ReferenceProfiler.Options options = ReferenceProfiler.Options.defaults();
        Predictor predictor = null;
        if (input.paths().size() == 1) {
            Path modelDir = workingDir.resolve(input.paths().get(0));
            if (Files.isRegularFile(modelDir.resolve(ModelSchema.FILE))) {
                options = ReferenceProfiler.Options.of(ModelSchema.read(modelDir));
                try {
                    predictor = ModelLoader.load(modelDir);
                } catch (RuntimeException notLoadable) {
                    predictor = null; // the profile then has no prediction distribution; feature drift still works
                }
            }
        }
        ReferenceProfile profile;
        try {
            profile = ReferenceProfiler.profile(csv, options, predictor, clock.instant());
        } finally {
            if (predictor != null) {
                predictor.close();
            }
        }
        try {
            Path dir = Files.createTempDirectory("mlops-profile-");
            Path file = dir.resolve(ReferenceProfile.FILE);
            Files.write(file, profile.toJson());
            List<String> paths = new ArrayList<>(input.paths());
            paths.add(file.toString());
            Registration.Input withProfile = new Registration.Input(input.registry(), input.model(), paths, input.format(),
                    input.description(), input.metrics(), input.params(), input.tags(), input.datasets(), input.alias(),
                    input.reason(), input.runId());
            return new Attached(withProfile, profile, dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the reference profile to a temporary folder: " + e.getMessage(), e);
        }
    }

    /** The profile stored with {@code version}. */
    public static ReferenceProfile load(ModelRegistry registry, ModelVersion version) {
        byte[] json = registry.readFile(version, ReferenceProfile.FILE).orElseThrow(() -> new NotFoundException(
                "reference profile: " + version.ref() + " has no " + ReferenceProfile.FILE + "; register it with --reference-data TRAIN.csv"
                        + " (or --from-run), or pass --reference-data to mlops drift"));
        return ReferenceProfile.fromJson(json, version.ref() + "/" + ReferenceProfile.FILE);
    }

    /** A profile file written by {@link ReferenceProfile#toJson()}. */
    public static ReferenceProfile read(Path file) {
        try {
            return ReferenceProfile.fromJson(Files.readAllBytes(file), file.toString());
        } catch (IOException e) {
            throw new InvalidInputException("reference profile: cannot read " + file + " (" + e.getMessage() + "); check the path");
        }
    }
}
