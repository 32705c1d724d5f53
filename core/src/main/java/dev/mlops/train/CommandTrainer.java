package dev.mlops.train;

import dev.mlops.error.InvalidInputException;
import dev.mlops.json.Json;
import dev.mlops.model.MlpDescriptor;
import dev.mlops.model.ModelLoader;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Runs the team's own training command ({@code sh -c <command>}, {@code cmd /c} on Windows) in the
 * workspace. The command gets:
 * <ul>
 *   <li>{@code MLOPS_OUTPUT_DIR}: a fresh folder; everything left in it is the model;</li>
 *   <li>{@code MLOPS_PARAMS}: the params as a JSON object of strings;</li>
 *   <li>{@code MLOPS_SEED}: the seed;</li>
 *   <li>{@code MLOPS_DATA}: the absolute dataset paths, joined with the path separator;</li>
 *   <li>{@code CUDA_VISIBLE_DEVICES}: from the request, else inherited.</li>
 * </ul>
 * stdout and stderr go to the listener line by line as they come. Metrics come from
 * {@code mlops-metric name=value} lines (later lines win; {@code epoch=N} on the line also records
 * per-epoch metrics and progress) and from {@code $MLOPS_OUTPUT_DIR/metrics.json}, a flat
 * {@code {"name": number}} read after exit, which wins over lines.
 *
 * <p>CPU time and peak RSS are <em>sampled</em> from /proc for the process and all its
 * descendants (every 20 ms at first, then every {@code sampleInterval}): a process living shorter
 * than one interval is missed and CPU used after a process's last sample is not counted, so both
 * are lower bounds. Peak RSS is the larger of the peak summed RSS of the tree and the largest single
 * VmHWM.
 *
 * <p>{@link #cancel()} or interrupting the training thread terminates the whole tree: SIGTERM to
 * the descendants first, then to the command, and SIGKILL to what still runs after the grace
 * period. Processes the command left running in the background after it exited are terminated
 * the same way. Every process of the run carries {@code MLOPS_TRAIN_COOKIE} in its environment, so
 * one that left the tree (daemonised by a double fork, or orphaned while the tree was being killed)
 * is found through /proc and terminated too.
 *
 * <p>A FAILED run's error holds the last {@value #TAIL_LINES} lines of stdout and of stderr.
 */
public final class CommandTrainer implements Trainer {
    public static final String ID = "command";
    public static final String VERSION = "1";
    public static final Duration DEFAULT_KILL_GRACE = Duration.ofSeconds(10);
    public static final Duration DEFAULT_SAMPLE_INTERVAL = Duration.ofMillis(250);
    static final int TAIL_LINES = 20;
    /** Marks every process of one training in its environment, to find those that left the process tree. */
    static final String COOKIE = "MLOPS_TRAIN_COOKIE";

    private final String command;
    private final Duration killGrace;
    private final Duration sampleInterval;
    private volatile boolean cancelRequested;

    public CommandTrainer(String command) {
        this(command, DEFAULT_KILL_GRACE, DEFAULT_SAMPLE_INTERVAL);
    }

    public CommandTrainer(String command, Duration killGrace, Duration sampleInterval) {
        if (command == null || command.isBlank()) {
            throw new InvalidInputException("command: empty; pass the training command, e.g. --command \"python3 train.py\"");
        }
        this.command = command;
        this.killGrace = killGrace;
        this.sampleInterval = sampleInterval;
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String version() {
        return VERSION;
    }

    @Override
    public Map<String, String> config() {
        return Map.of("command", command);
    }

    @Override
    public List<String> defaultCodePaths() {
        return List.of(".");
    }

    @Override
    public void cancel() {
        cancelRequested = true;
    }

    @Override
    public TrainResult train(TrainRequest request, Path outputDir, TrainingListener listener) {
        cancelRequested = false;
        List<String> argv = shell();
        ProcessBuilder builder = new ProcessBuilder(argv).directory(request.workingDir().toFile());
        Map<String, String> env = builder.environment();
        env.putAll(request.env());
        env.put("MLOPS_OUTPUT_DIR", outputDir.toAbsolutePath().toString());
        env.put("MLOPS_PARAMS", Json.toString(request.params()));
        env.put("MLOPS_SEED", Long.toString(request.seed()));
        env.put("MLOPS_DATA", String.join(File.pathSeparator,
                request.datasets().stream().map(d -> request.resolve(d).toAbsolutePath().toString()).toList()));
        if (request.cudaVisibleDevices() != null) {
            env.put("CUDA_VISIBLE_DEVICES", request.cudaVisibleDevices());
        }
        String cookie = COOKIE + "=" + UUID.randomUUID();
        env.put(COOKIE, cookie.substring(COOKIE.length() + 1));
        long start = System.nanoTime();
        Process process;
        try {
            Files.createDirectories(outputDir);
            process = builder.redirectInput(ProcessBuilder.Redirect.from(nullDevice())).start();
        } catch (IOException e) {
            return new TrainResult(RunStatus.FAILED, Map.of(), List.of(), null, null, ResourceUsage.NONE, "process", Map.of(),
                    "command: cannot start " + argv + " (" + e.getMessage() + "); check that the shell and the command exist", List.of());
        }
        Output output = new Output(listener, epochsParam(request), start);
        Thread stdout = output.reader(process.getInputStream(), "stdout");
        Thread stderr = output.reader(process.getErrorStream(), "stderr");
        ProcessTree tree = new ProcessTree(process.toHandle(), cookie);
        boolean cancelled = false;
        long interval = 20;
        try {
            while (!process.waitFor(interval, TimeUnit.MILLISECONDS)) {
                tree.sample();
                if (cancelRequested) {
                    cancelled = true;
                    break;
                }
                interval = Math.min(interval * 2, Math.max(20, sampleInterval.toMillis()));
            }
        } catch (InterruptedException e) {
            cancelled = true;
            Thread.currentThread().interrupt();
        }
        long wallMillis = (System.nanoTime() - start) / 1_000_000;
        if (cancelled) {
            listener.message("cancelling: terminating the training command and its child processes");
        }
        // also ends what a finished command left running in the background, which would keep the pipes open
        tree.kill(cancelled ? killGrace : Duration.ofSeconds(2));
        long readersDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        join(stdout, readersDeadline);
        join(stderr, readersDeadline);
        int exitCode = exitCode(process);
        MetricCollector metrics = output.metrics;
        synchronized (output) {
            int before = metrics.warnings().size();
            if (!cancelled) {
                metrics.file(outputDir.resolve(MetricCollector.METRICS_FILE));
            }
            metrics.warnings().subList(before, metrics.warnings().size()).forEach(w -> listener.message("warning: " + w));
        }
        ResourceUsage usage = new ResourceUsage(wallMillis, tree.cpuMillis(), tree.peakRssBytes());
        RunStatus status;
        String error = null;
        if (cancelled) {
            status = RunStatus.CANCELLED;
            error = "cancelled; the training command and its child processes were terminated";
        } else if (exitCode != 0) {
            status = RunStatus.FAILED;
            error = "training command exited with code " + exitCode + "\n" + output.describeTail();
        } else {
            status = RunStatus.SUCCEEDED;
        }
        synchronized (output) {
            return new TrainResult(status, metrics.metrics(), metrics.epochs(), detectFormat(outputDir), exitCode, usage,
                    "process", Map.of("command", command, "shell", String.join(" ", argv.subList(0, argv.size() - 1))),
                    error, metrics.warnings());
        }
    }

    /** "djl-mlp" when the command wrote mlp.json, "onnx" for a model.onnx, else null. */
    static String detectFormat(Path outputDir) {
        if (Files.isRegularFile(outputDir.resolve(MlpDescriptor.FILE))) {
            return ModelLoader.DJL_MLP;
        }
        if (Files.isRegularFile(outputDir.resolve("model.onnx"))) {
            return ModelLoader.ONNX;
        }
        return null;
    }

    private List<String> shell() {
        boolean windows = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows");
        return windows ? List.of("cmd.exe", "/c", command) : List.of("sh", "-c", command);
    }

    private static File nullDevice() {
        return new File(System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows") ? "NUL" : "/dev/null");
    }

    private static int epochsParam(TrainRequest request) {
        try {
            return Integer.parseInt(request.params().getOrDefault("epochs", "0").trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static int exitCode(Process process) {
        boolean interrupted = Thread.interrupted();
        try {
            while (true) {
                try {
                    return process.waitFor();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Waits for a reader until the deadline: a process that escaped the kill may hold the pipe open. */
    private static void join(Thread reader, long deadlineNanos) {
        boolean interrupted = Thread.interrupted();
        try {
            reader.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime())));
        } catch (InterruptedException e) {
            interrupted = true;
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Both output streams: forwards lines, keeps the last lines for the error, collects metrics. */
    private static final class Output {
        private final TrainingListener listener;
        private final int epochs;
        private final long startNanos;
        /** Last lines per stream: the two pipes are read by two threads, so their relative order is not known. */
        private final Map<String, Deque<String>> tails = new TreeMap<>(Comparator.reverseOrder());
        final MetricCollector metrics = new MetricCollector();

        Output(TrainingListener listener, int epochs, long startNanos) {
            this.listener = listener;
            this.epochs = epochs;
            this.startNanos = startNanos;
        }

        Thread reader(InputStream stream, String name) {
            Thread thread = new Thread(() -> {
                try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = reader.readLine()) != null) {
                        accept(name, line);
                    }
                } catch (IOException e) {
                    accept(name, "[mlops: reading " + name + " failed: " + e.getMessage() + "]");
                }
            }, "mlops-train-" + name);
            thread.setDaemon(true);
            thread.start();
            return thread;
        }

        private synchronized void accept(String stream, String line) {
            Deque<String> tail = tails.computeIfAbsent(stream, s -> new ArrayDeque<>());
            tail.addLast(line);
            if (tail.size() > TAIL_LINES) {
                tail.removeFirst();
            }
            listener.output(stream, line);
            int before = metrics.warnings().size();
            EpochMetrics epoch = metrics.line(line);
            metrics.warnings().subList(before, metrics.warnings().size()).forEach(w -> listener.message("warning: " + w));
            if (epoch != null) {
                Duration eta = null;
                if (epochs >= epoch.epoch()) {
                    long elapsed = System.nanoTime() - startNanos;
                    eta = Duration.ofNanos(elapsed / epoch.epoch() * (epochs - epoch.epoch()));
                }
                listener.progress(new TrainingProgress(epoch.epoch(), epochs, epoch.metrics(), eta));
            }
        }

        /** "last stdout lines:\n...\nlast stderr lines:\n..." (stderr last, where tracebacks end), or "no output". */
        synchronized String describeTail() {
            List<String> parts = new ArrayList<>();
            tails.forEach((stream, lines) -> parts.add("last " + stream + " lines:\n" + String.join("\n", lines)));
            return parts.isEmpty() ? "no output" : String.join("\n", parts);
        }
    }
}
