package dev.mlops.train;

import com.fasterxml.jackson.annotation.JsonIgnore;
import dev.mlops.error.InvalidInputException;
import dev.mlops.lineage.DatasetFingerprint;
import dev.mlops.lineage.Lineage;
import dev.mlops.registry.Registration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * {@code run.json} (schema {@value #SCHEMA}): one training run as recorded by {@link RunStore}.
 *
 * @param schema         always {@value #SCHEMA}
 * @param id             run id, e.g. 20260105-142233-a1b2c3
 * @param status         RUNNING until the trainer returns and the model files are complete
 * @param trainer        trainer id ("djl-mlp", "command")
 * @param trainerVersion trainer version
 * @param trainerConfig  trainer settings beyond params (the command line)
 * @param params         parameters as given
 * @param seed           random seed
 * @param format         model format of the output, or null when unknown
 * @param metrics        final metrics
 * @param epochs         metrics per epoch
 * @param environment    host, Java, OS, CPU, memory, GPUs, DJL/PyTorch and device
 * @param lineage        git commit, dataset fingerprints, CI build, user; {@code runId} is this run
 * @param code           per code path: the git tree/blob id, plus a hash of uncommitted changes
 * @param usage          wall time, CPU time, peak RSS
 * @param exitCode       exit code of a training command, else null
 * @param outputDir      absolute path of the model folder
 * @param files          the model files, once the run succeeded
 * @param reuseKey       SHA-256 over trainer, version, params, seed, data and code (see {@link ReuseKey})
 * @param startedAt      when the run started
 * @param finishedAt     when it ended; null while RUNNING
 * @param error          why it failed or was cancelled
 * @param warnings       problems that did not stop it
 */
public record RunRecord(String schema, String id, RunStatus status, String trainer, String trainerVersion,
                        Map<String, String> trainerConfig, Map<String, String> params, long seed, String format,
                        Map<String, Double> metrics, List<EpochMetrics> epochs, RunEnvironment environment, Lineage lineage,
                        Map<String, String> code, ResourceUsage usage, Integer exitCode, String outputDir, List<RunFile> files,
                        String reuseKey, Instant startedAt, Instant finishedAt, String error, List<String> warnings) {
    public static final String SCHEMA = "mlops.run/v1";

    public RunRecord {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(status, "status");
        schema = schema == null ? SCHEMA : schema;
        trainerConfig = sorted(trainerConfig);
        params = sorted(params);
        metrics = sorted(metrics);
        code = sorted(code);
        epochs = epochs == null ? List.of() : List.copyOf(epochs);
        files = files == null ? List.of() : List.copyOf(files);
        warnings = warnings == null ? List.of() : List.copyOf(warnings);
    }

    private static <V> Map<String, V> sorted(Map<String, V> map) {
        return map == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(map));
    }

    /** The finished run: the trainer's result plus the files it left. */
    public RunRecord finish(TrainResult result, List<RunFile> outputFiles, Instant at) {
        RunEnvironment env = environment == null ? null : environment.withTrainer(result.environment());
        return new RunRecord(schema, id, result.status(), trainer, trainerVersion, trainerConfig, params, seed, result.format(),
                result.metrics(), result.epochs(), env, lineage, code, result.usage(), result.exitCode(), outputDir,
                outputFiles, reuseKey, startedAt, at, result.error(), result.warnings());
    }

    /** The run ended by an error before the trainer could report. */
    public RunRecord failed(String why, Instant at) {
        return new RunRecord(schema, id, RunStatus.FAILED, trainer, trainerVersion, trainerConfig, params, seed, format, metrics,
                epochs, environment, lineage, code, usage, exitCode, outputDir, files, reuseKey, startedAt, at, why, warnings);
    }

    /**
     * What {@code mlops register --from-run ID} registers: the output folder as the model files, the
     * final metrics, the params plus {@code seed}, the datasets of the lineage (re-fingerprinted by
     * the registry, so they must still be the files the run used) and this run id. Only a SUCCEEDED
     * run can be registered.
     */
    public Registration.Input registrationInput(String registry, String model, String alias, String reason,
                                                String description, Map<String, String> tags) {
        if (status != RunStatus.SUCCEEDED) {
            throw new InvalidInputException("from-run: run " + id + " is " + status
                    + "; only a SUCCEEDED run can be registered (train again with mlops train)");
        }
        Map<String, String> metricText = new LinkedHashMap<>();
        metrics.forEach((name, value) -> metricText.put(name, Double.toString(value)));
        Map<String, String> allParams = new TreeMap<>(params);
        allParams.putIfAbsent("seed", Long.toString(seed));
        Map<String, String> allTags = new TreeMap<>(tags == null ? Map.of() : tags);
        allTags.putIfAbsent("trainer", trainer + " " + trainerVersion);
        List<String> datasets = lineage == null ? List.of() : lineage.datasets().stream().map(DatasetFingerprint::path).toList();
        return new Registration.Input(registry, model, List.of(outputDir), format, description, metricText, allParams, allTags,
                datasets, alias, reason, id);
    }

    @JsonIgnore
    public boolean isSucceeded() {
        return status == RunStatus.SUCCEEDED;
    }
}
