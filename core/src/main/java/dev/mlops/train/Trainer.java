package dev.mlops.train;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A way to train a model: the built-in {@link DjlMlpTrainer} or the team's own {@link CommandTrainer}.
 * One instance trains one run at a time; {@link #cancel()} may be called from another thread.
 * Bad input (unknown parameter, missing column) throws {@link dev.mlops.error.InvalidInputException};
 * a training that starts and then fails returns a FAILED result.
 */
public interface Trainer {
    /** Stable id, e.g. "djl-mlp" or "command"; part of the reuse key. */
    String id();

    /** Version of the training code; part of the reuse key, so an upgrade retrains. */
    String version();

    /** Settings beyond the params that change what is trained (the command line); part of the reuse key. */
    default Map<String, String> config() {
        return Map.of();
    }

    /**
     * Code paths whose git state goes into the reuse key when the request names none: "." (the whole
     * repository) for a command, nothing for the built-in trainer whose code is its {@link #version()}.
     */
    default List<String> defaultCodePaths() {
        return List.of();
    }

    /** Checks the request before a run is recorded (unknown params, missing data); throws InvalidInputException. */
    default void validate(TrainRequest request) {
    }

    /**
     * Trains into {@code outputDir} (created empty by the caller) and blocks until done. Interrupting
     * the calling thread cancels like {@link #cancel()} and returns CANCELLED.
     */
    TrainResult train(TrainRequest request, Path outputDir, TrainingListener listener);

    /** Stops the training in progress, if any; {@link #train} then returns CANCELLED. Returns at once. */
    void cancel();
}
