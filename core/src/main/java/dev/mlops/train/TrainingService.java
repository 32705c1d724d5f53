package dev.mlops.train;

import dev.mlops.error.InvalidInputException;
import dev.mlops.lineage.Lineage;
import dev.mlops.lineage.LineageCollector;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The "train a model" use case shared by the CLI and the Jenkins steps: capture lineage and the
 * code state, reuse an earlier identical run unless forced, otherwise record a RUNNING run, train,
 * and record how it ended.
 */
public final class TrainingService {
    private final RunStore store;
    private final Clock clock;
    private final GpuProbe gpus;

    public TrainingService(RunStore store, Clock clock) {
        this(store, clock, new GpuProbe());
    }

    public TrainingService(RunStore store, Clock clock, GpuProbe gpus) {
        this.store = store;
        this.clock = clock;
        this.gpus = gpus;
    }

    public RunStore store() {
        return store;
    }

    /**
     * Trains, or reuses the newest SUCCEEDED run with the same reuse key (unless {@code force}).
     * Bad input throws {@link InvalidInputException} before anything is recorded; a training that
     * fails or is cancelled returns its FAILED or CANCELLED run. An unexpected error is recorded
     * as FAILED and rethrown.
     */
    public TrainingOutcome train(Trainer trainer, TrainRequest request, TrainingListener listener) {
        for (Path dataset : request.datasets()) {
            if (!Files.isRegularFile(request.resolve(dataset))) {
                throw new InvalidInputException("data: " + dataset + " is not a readable file in " + request.workingDir()
                        + "; pass an existing data file with --data");
            }
        }
        trainer.validate(request);
        Lineage lineage = new LineageCollector(clock).collect(request.workingDir(), request.datasets(), request.env());
        List<String> codePaths = request.codePaths().isEmpty() ? trainer.defaultCodePaths() : request.codePaths();
        Map<String, String> code = CodeFingerprint.of(request.workingDir(), codePaths, store.root());
        String reuseKey = ReuseKey.compute(trainer, request, lineage.datasets(), code);
        if (!request.force()) {
            var earlier = store.findReusable(reuseKey);
            if (earlier.isPresent()) {
                listener.message("reusing run " + earlier.get().id() + " (same code, data, params); pass --force to train again");
                return new TrainingOutcome(earlier.get(), true);
            }
        }

        String id = store.newRunId();
        Path outputDir = store.outputDir(id);
        RunRecord running = new RunRecord(RunRecord.SCHEMA, id, RunStatus.RUNNING, trainer.id(), trainer.version(), trainer.config(),
                request.params(), request.seed(), null, Map.of(), List.of(), RunEnvironment.capture(request.env(), gpus),
                lineage.withRunId(id), code, null, null, outputDir.toString(), List.of(), reuseKey, clock.instant(), null, null, List.of());
        store.create(running);
        listener.message("run " + id + " started (" + trainer.id() + "), recorded in " + store.runDir(id));
        TrainResult result;
        try {
            result = trainer.train(request, outputDir, listener);
        } catch (RuntimeException | Error e) {
            store.save(running.failed(e.getClass().getSimpleName() + ": " + e.getMessage(), clock.instant()));
            throw e;
        }
        // SUCCEEDED is written only now, after the trainer returned and the files are listed and hashed
        RunRecord finished = running.finish(result, RunStore.listFiles(outputDir), clock.instant());
        store.save(finished);
        listener.message("run " + id + " " + finished.status().name().toLowerCase(Locale.ROOT)
                + (finished.error() != null ? ": " + finished.error().lines().findFirst().orElse("") : ""));
        return new TrainingOutcome(finished, false);
    }
}
