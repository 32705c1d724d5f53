package dev.mlops.train;

import java.io.PrintStream;

/**
 * Live output of a training run. A trainer may call it from more than one thread (stdout and
 * stderr readers) but never concurrently.
 */
public interface TrainingListener {
    TrainingListener NONE = new TrainingListener() {
    };

    /** One line printed by the training process; {@code stream} is "stdout" or "stderr". */
    default void output(String stream, String line) {
    }

    /** One epoch finished. */
    default void progress(TrainingProgress progress) {
    }

    /** A note from mlops itself: a warning, "reusing run ...", where the run is recorded. */
    default void message(String message) {
    }

    /** Prints everything to {@code out} (the CLI's stderr, a Jenkins build log). */
    static TrainingListener printTo(PrintStream out) {
        return new TrainingListener() {
            @Override
            public void output(String stream, String line) {
                out.println(line);
            }

            @Override
            public void progress(TrainingProgress progress) {
                out.println(progress.describe());
            }

            @Override
            public void message(String message) {
                out.println("mlops: " + message);
            }
        };
    }
}
