package dev.mlops.cli;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.mlops.error.InvalidInputException;
import dev.mlops.json.Json;
import dev.mlops.train.GpuProbe;
import dev.mlops.train.RunFile;
import dev.mlops.train.RunRecord;
import dev.mlops.train.RunStatus;
import dev.mlops.train.RunStore;
import dev.mlops.train.TrainRequest;
import dev.mlops.train.Trainer;
import dev.mlops.train.Trainers;
import dev.mlops.train.TrainingListener;
import dev.mlops.train.TrainingOutcome;
import dev.mlops.train.TrainingService;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train a model (built-in DJL MLP or your own command), record the run under .mlops/runs, "
                + "and reuse an earlier run with the same code, data and params.")
final class TrainCommand implements Callable<Integer> {
    private final Context context;

    @Option(names = "--trainer", defaultValue = "djl-mlp", description = "djl-mlp (built-in) or command (default: ${DEFAULT-VALUE})")
    String trainer;
    @Option(names = "--command", description = "Training command for --trainer command, run with sh -c in the working directory")
    String command;
    @Option(names = "--data", required = true, paramLabel = "FILE", description = "Training data; repeatable (djl-mlp trains on the first CSV)")
    List<String> data = new ArrayList<>();
    @Option(names = "--label", description = "Label column (param label)")
    String label;
    @Option(names = "--features", paramLabel = "A,B,C", description = "Feature columns (param features; default: numeric columns but the label)")
    String features;
    @Option(names = "--param", paramLabel = "NAME=VALUE", description = "Trainer parameter, e.g. epochs=20, hidden=64,32; repeatable")
    List<String> params;
    @Option(names = "--seed", defaultValue = "42", description = "Random seed (default: ${DEFAULT-VALUE})")
    long seed;
    @Option(names = "--code-path", paramLabel = "PATH", description = "Code whose git state decides reuse; repeatable (default: whole repo for a command)")
    List<String> codePaths = new ArrayList<>();
    @Option(names = "--force", description = "Train even if an identical earlier run succeeded")
    boolean force;
    @Option(names = "--require-gpu", description = "Fail (exit 2) unless this agent has a GPU")
    boolean requireGpu;
    @Option(names = "--gpus", paramLabel = "IDS", description = "CUDA_VISIBLE_DEVICES for the command (default: inherited)")
    String gpus;
    @Option(names = "--runs-dir", paramLabel = "DIR", description = "Run records (default: $MLOPS_RUNS_DIR, else .mlops/runs)")
    String runsDir;
    @Option(names = "--json", description = "Print the run record as JSON (schema " + RunRecord.SCHEMA + ")")
    boolean json;

    TrainCommand(Context context) {
        this.context = context;
    }

    @Override
    public Integer call() throws InterruptedException {
        Trainer chosen = Trainers.create(trainer, command);
        if (requireGpu) {
            new GpuProbe().requireGpu(context.env());
        }
        Map<String, String> parameters = KeyValues.parse("--param", params);
        put(parameters, "label", label);
        put(parameters, "features", features);
        TrainRequest request = TrainRequest.builder().setWorkingDir(context.workingDir()).optDatasets(data.stream().map(Path::of).toList())
                .optParams(parameters).optSeed(seed).optCodePaths(codePaths).optForce(force).optCudaVisibleDevices(gpus)
                .optEnv(context.env()).build();
        TrainingService service = new TrainingService(RunStore.open(runsDir, context.workingDir(), context.env(), context.clock()), context.clock());
        TrainingOutcome outcome = cancelOnShutdown(chosen, () -> service.train(chosen, request, TrainingListener.printTo(context.err())));
        RunRecord run = outcome.run();
        if (json) {
            context.out().println(Json.toString(outcome.document()));
        } else {
            summary(run, outcome.reused());
        }
        if (run.status() != RunStatus.SUCCEEDED) {
            context.err().println("mlops: error: run " + run.id() + " " + run.status() + ": " + run.error().lines().findFirst().orElse(""));
            return 1;
        }
        return 0;
    }

    private static void put(Map<String, String> parameters, String name, String value) {
        if (value != null && parameters.put(name, value) != null) {
            throw new InvalidInputException("--" + name + ": also given as --param " + name + "=...; give it once");
        }
    }

    /** Ctrl-C or a CI abort ends the JVM: cancel the training first so its process tree dies and the run says CANCELLED. */
    private static TrainingOutcome cancelOnShutdown(Trainer trainer, Callable<TrainingOutcome> training) throws InterruptedException {
        CountDownLatch finished = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            trainer.cancel();
            try {
                finished.await(15, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "mlops-train-cancel");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            return training.call();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        } finally {
            finished.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running
            }
        }
    }

    private void summary(RunRecord run, boolean reused) {
        PrintStream out = context.out();
        out.printf("run %s  %s%s  %s %s on %s, %.1f s%n", run.id(), run.status(), reused ? " (reused, not retrained)" : "",
                run.trainer(), run.trainerVersion(), run.environment() == null ? "?" : run.environment().trainer().getOrDefault("djl.device", "process"),
                run.usage() == null ? 0.0 : run.usage().wallMillis() / 1000.0);
        StringJoiner metrics = new StringJoiner(", ");
        run.metrics().forEach((name, value) -> metrics.add(name + "=" + String.format(Locale.ROOT, "%.4g", value)));
        if (metrics.length() > 0) {
            out.printf("  metrics:  %s%n", metrics);
        }
        out.printf("  output:   %s (%d file%s, %s)%n", run.outputDir(), run.files().size(), run.files().size() == 1 ? "" : "s",
                Render.size(run.files().stream().mapToLong(RunFile::sizeBytes).sum()));
        if (run.lineage() != null) {
            Render.lineage(out, Json.mapper().convertValue(run.lineage(), new TypeReference<Map<String, Object>>() { }));
        }
        if (run.status() == RunStatus.SUCCEEDED) {
            out.printf("register with: mlops register --from-run %s --model NAME%n", run.id());
        }
    }
}
