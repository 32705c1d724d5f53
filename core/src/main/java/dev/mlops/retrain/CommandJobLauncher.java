package dev.mlops.retrain;

import dev.mlops.error.InvalidInputException;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Runs a local command per job ({@code mlops webhook serve --job NAME=COMMAND}): one at a time per
 * job (later requests queue behind the running one), through {@code sh -c} (or {@code cmd /c}),
 * output appended to {@code <logDir>/<job>-<requestId>.log}. The command sees the request as
 * {@code MLOPS_MODEL}, {@code MLOPS_VERSION}, {@code MLOPS_REASON}, {@code MLOPS_REPORT} and the
 * whole payload in {@code MLOPS_REQUEST_FILE}.
 */
public final class CommandJobLauncher implements JobLauncher, AutoCloseable {
    private static final java.util.regex.Pattern JOB = java.util.regex.Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
    private final Map<String, String> commands;
    private final Map<String, ExecutorService> queues = new LinkedHashMap<>();
    private final Path workDir;
    private final Path logDir;
    private final Consumer<String> events;
    private final Clock clock;
    private final java.util.Set<Process> running = java.util.concurrent.ConcurrentHashMap.newKeySet();

    public CommandJobLauncher(Map<String, String> commands, Path workDir, Path logDir, Clock clock, Consumer<String> events) {
        if (commands.isEmpty()) {
            throw new InvalidInputException("--job: none given; name at least one, e.g. --job churn-retrain='./mlops train ...'");
        }
        commands.forEach((job, command) -> {
            if (!JOB.matcher(job).matches()) {
                throw new InvalidInputException("--job: '" + job + "' is not a job name; use letters, digits, '.', '_' or '-'");
            }
            if (command == null || command.isBlank()) {
                throw new InvalidInputException("--job " + job + ": empty command; write --job " + job + "=COMMAND");
            }
        });
        this.commands = Map.copyOf(commands);
        this.workDir = workDir;
        this.logDir = logDir;
        this.clock = clock;
        this.events = events;
        for (String job : commands.keySet()) {
            queues.put(job, Executors.newSingleThreadExecutor(r -> new Thread(r, "mlops-job-" + job)));
        }
    }

    /** Parses {@code NAME=COMMAND} options. */
    public static Map<String, String> parse(List<String> options) {
        Map<String, String> commands = new LinkedHashMap<>();
        for (String option : options) {
            int eq = option.indexOf('=');
            if (eq <= 0) {
                throw new InvalidInputException("--job: '" + option + "' is not NAME=COMMAND; e.g. --job churn-retrain='./mlops train ...'");
            }
            if (commands.put(option.substring(0, eq).trim(), option.substring(eq + 1)) != null) {
                throw new InvalidInputException("--job: '" + option.substring(0, eq) + "' is given twice; name each job once");
            }
        }
        return commands;
    }

    @Override
    public boolean knows(String job) {
        return commands.containsKey(job);
    }

    @Override
    public String launch(String job, RetrainPayload payload) {
        ExecutorService queue = queues.get(job);
        if (queue == null) {
            throw new InvalidInputException("job '" + job + "' is not configured");
        }
        try {
            Files.createDirectories(logDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the job log folder " + logDir, e);
        }
        Path log = logDir.resolve(job + "-" + payload.id().replaceAll("[^A-Za-z0-9-]", "_") + ".log");
        queue.submit(() -> run(job, payload, log));
        events.accept("queued " + job + " for " + payload.model() + " (log " + log + ")");
        return log.toString();
    }

    private void run(String job, RetrainPayload payload, Path log) {
        try {
            Path request = Files.createTempFile(logDir, "." + job + "-request-", ".json");
            Files.write(request, payload.toBytes());
            boolean windows = File.separatorChar == '\\';
            ProcessBuilder builder = new ProcessBuilder(windows ? List.of("cmd", "/c", commands.get(job)) : List.of("sh", "-c", commands.get(job)))
                    .directory(workDir.toFile()).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            Map<String, String> env = builder.environment();
            env.put("MLOPS_MODEL", payload.model());
            env.put("MLOPS_VERSION", payload.version() == null ? "" : payload.version());
            env.put("MLOPS_REASON", payload.reason());
            env.put("MLOPS_REPORT", payload.reportLink() == null ? "" : payload.reportLink().toString());
            env.put("MLOPS_REQUEST_FILE", request.toString());
            Files.writeString(log, "# " + clock.instant() + " mlops webhook: starting " + job + " for " + payload.model() + " (request "
                    + payload.id() + ")\n", StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
            events.accept("started " + job + " for " + payload.model());
            Process process = builder.start();
            running.add(process);
            int exit;
            try {
                exit = process.waitFor();
            } finally {
                running.remove(process);
                Files.deleteIfExists(request);
            }
            Files.writeString(log, "# " + clock.instant() + " mlops webhook: " + job + " exited " + exit + "\n", StandardCharsets.UTF_8,
                    java.nio.file.StandardOpenOption.APPEND);
            events.accept(job + " for " + payload.model() + " exited " + exit + " (log " + log + ")");
        } catch (IOException e) {
            events.accept(job + " for " + payload.model() + " could not start: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Stops taking jobs, waits up to {@code grace} for running and queued ones, then kills what is
     * still running (its whole process tree).
     */
    public void stop(Duration grace) {
        queues.values().forEach(ExecutorService::shutdown);
        long deadline = System.nanoTime() + grace.toNanos();
        for (ExecutorService queue : queues.values()) {
            try {
                if (!queue.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                    queue.shutdownNow();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (Process process : running) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }

    @Override
    public void close() {
        stop(Duration.ofSeconds(30));
    }
}
