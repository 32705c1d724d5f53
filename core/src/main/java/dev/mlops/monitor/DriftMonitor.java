package dev.mlops.monitor;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.mlops.drift.DriftCheck;
import dev.mlops.error.MlopsException;
import dev.mlops.json.Json;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * {@code mlops monitor}: tails the model server's inference log, cuts it into windows
 * ({@link MonitorSettings}), runs the drift check on each ({@link DriftCheck}, the same as
 * {@code mlops drift}) and hands drifted reports to {@link DriftRetrain}, whose cool-down and budget
 * keep several drifted windows from starting several retrains. The log position after each evaluated
 * window is saved in {@link MonitorState}; a window that was open when the monitor stopped is read
 * again on restart, so no record is lost or counted twice.
 */
public final class DriftMonitor {
    static final String WINDOW_LOG = "inference-000001.jsonl";
    private static final int BATCH_LINES = 4096;

    private final MonitorSettings settings;
    private final Path workingDir;
    private final Map<String, String> env;
    private final Clock clock;
    private final DriftRetrain retrain;
    private final Consumer<String> out;
    private final Path workDir;
    private final Path stateFile;
    private final LogTail tail;
    private final JsonFactory json = Json.mapper().getFactory();
    private MonitorState state;
    private long reportedSkips;

    private Window window;

    /** The window being filled: its folder, its log file, the rows and timestamps seen. */
    private static final class Window {
        final Path dir;
        final BufferedWriter log;
        final Instant start;
        long rows;
        Instant first;
        Instant last;

        Window(Path dir, Instant start) throws IOException {
            this.dir = dir;
            this.start = start;
            Files.createDirectories(dir);
            this.log = Files.newBufferedWriter(dir.resolve(WINDOW_LOG), StandardCharsets.UTF_8);
        }
    }

    /**
     * @param retrain null to only report drift
     * @param out     receives one line per evaluated window and warnings
     */
    public DriftMonitor(MonitorSettings settings, Path workingDir, Map<String, String> env, Clock clock, DriftRetrain retrain, Consumer<String> out) {
        this.settings = settings;
        this.workingDir = workingDir;
        this.env = env;
        this.clock = clock;
        this.retrain = retrain;
        this.out = out;
        this.workDir = workingDir.resolve(settings.workDir());
        this.stateFile = workingDir.resolve(settings.stateFile());
        Path logDir = workingDir.resolve(settings.logDir()).normalize();
        this.state = MonitorState.load(stateFile, logDir, settings.modelName());
        this.tail = new LogTail(logDir, state.position());
    }

    public MonitorState state() {
        return state;
    }

    /**
     * Reads everything logged since the last call and evaluates each window that completed; a window still
     * open stays open (and is re-read after a restart). On an error the read position goes back to the end of
     * the last evaluated window, so the next call retries that window.
     */
    public List<WindowResult> poll() {
        List<WindowResult> results = new ArrayList<>();
        try {
            List<LogTail.Line> lines;
            do {
                lines = tail.poll(BATCH_LINES);
                for (LogTail.Line line : lines) {
                    accept(line, results);
                }
            } while (lines.size() == BATCH_LINES);
            if (window != null && settings.windowSeconds() > 0
                    && !clock.instant().isBefore(window.start.plusSeconds(settings.windowSeconds()).plus(settings.flushSlack()))) {
                close(tail.cursor(), results);
            }
            warnAboutRotation();
            return results;
        } catch (RuntimeException e) {
            discardWindow();
            tail.seek(state.position());
            throw e;
        }
    }

    /**
     * Polls every {@link MonitorSettings#pollInterval()} until {@code stop} is counted down; a failing window
     * is reported and retried on the next poll. Returns after the poll in progress when stopped.
     */
    public void run(CountDownLatch stop) throws InterruptedException {
        do {
            try {
                poll().forEach(w -> out.accept(w.line()));
            } catch (MlopsException | UncheckedIOException e) {
                out.accept("monitor: window " + (state.windows() + 1) + " not evaluated: " + e.getMessage() + " (retrying)");
            }
        } while (!stop.await(settings.pollInterval().toMillis(), TimeUnit.MILLISECONDS));
        discardWindow();
    }

    private void accept(LogTail.Line line, List<WindowResult> results) {
        Record record = parse(line.text());
        if (record.model != null && !record.model.equals(settings.modelName())) {
            return;
        }
        if (window != null && settings.windowSeconds() > 0 && record.ts != null
                && !record.ts.isBefore(window.start.plusSeconds(settings.windowSeconds()))) {
            close(line.start(), results);
        }
        if (window == null) {
            window = open(record.ts == null ? clock.instant() : record.ts);
        }
        try {
            window.log.write(line.text());
            window.log.write('\n');
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the window's log to " + window.dir + ": " + e.getMessage(), e);
        }
        window.rows += record.rows;
        if (record.ts != null) {
            window.first = window.first == null || record.ts.isBefore(window.first) ? record.ts : window.first;
            window.last = window.last == null || record.ts.isAfter(window.last) ? record.ts : window.last;
        }
        if (settings.windowRows() > 0 && window.rows >= settings.windowRows()) {
            close(line.end(), results);
        }
    }

    private Window open(Instant at) {
        Instant start = at;
        if (settings.windowSeconds() > 0) {
            long s = settings.windowSeconds();
            start = Instant.ofEpochSecond(Math.floorDiv(at.getEpochSecond(), s) * s);
        }
        try {
            return new Window(workDir.resolve("windows").resolve(String.format("%06d", state.windows() + 1)), start);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the window folder under " + workDir + ": " + e.getMessage(), e);
        }
    }

    /** Evaluates the open window, which ends at {@code end} of the log, then saves the state. */
    private void close(LogTail.Position end, List<WindowResult> results) {
        Window w = window;
        window = null;
        try {
            w.log.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the window's log to " + w.dir + ": " + e.getMessage(), e);
        }
        if (w.rows == 0) {
            state = state.skippedTo(end);
            state.save(stateFile);
            delete(w.dir);
            return;
        }
        long index = state.windows() + 1;
        DriftCheck.Result checked = DriftCheck.run(new DriftCheck.Input(settings.registry(), settings.model(), settings.referenceProfile(),
                w.dir.toString(), null, null, 0, settings.drift(), w.dir.toString()), workingDir, env, clock);
        TriggerResult trigger = retrain == null ? null
                : retrain.onReport(checked.report(), DriftRetrain.reportLink(null, checked.html())).orElse(null);
        WindowResult result = new WindowResult(index, w.rows, w.first, w.last, checked.report(), checked.html(), trigger);
        state = state.after(end, clock.instant(), result.drifted(), checked.html().toString(), trigger != null && trigger.triggered());
        state.save(stateFile);
        results.add(result);
        prune();
    }

    private void discardWindow() {
        if (window != null) {
            try {
                window.log.close();
            } catch (IOException ignored) {
                // the folder is rewritten when the window is read again
            }
            window = null;
        }
    }

    private void warnAboutRotation() {
        if (tail.skippedFiles() > reportedSkips) {
            out.accept("monitor: " + (tail.skippedFiles() - reportedSkips) + " inference log file(s) were rotated away before they were read;"
                    + " their records are not in any window (poll more often, or start the server with more kept log files)");
            reportedSkips = tail.skippedFiles();
        }
    }

    /** Keeps the newest {@link MonitorSettings#keepWindows()} window folders. */
    private void prune() {
        Path windows = workDir.resolve("windows");
        List<Path> all;
        try (Stream<Path> list = Files.list(windows)) {
            all = list.filter(Files::isDirectory).sorted().toList();
        } catch (IOException e) {
            return;
        }
        for (int i = 0; i < all.size() - settings.keepWindows(); i++) {
            delete(all.get(i));
        }
    }

    private static void delete(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException ignored) {
            // an old window folder left behind is only disk space
        }
    }

    private record Record(Instant ts, String model, long rows) {
    }

    /** The fields that place a logged line in a window; a damaged line counts no rows (the drift check skips and counts it). */
    private Record parse(String line) {
        Instant ts = null;
        String model = null;
        long rows = 0;
        try (JsonParser p = json.createParser(line)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return new Record(null, null, 0);
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                switch (field) {
                    case "ts" -> ts = Instant.parse(p.getText());
                    case "model" -> model = p.getText();
                    case "inputs" -> {
                        if (value == JsonToken.START_ARRAY) {
                            while (p.nextToken() == JsonToken.START_ARRAY) {
                                rows++;
                                p.skipChildren();
                            }
                        } else {
                            p.skipChildren();
                        }
                    }
                    default -> p.skipChildren();
                }
            }
        } catch (IOException | DateTimeParseException damaged) {
            return new Record(ts, model, 0);
        }
        return new Record(ts, model, rows);
    }

    Duration pollInterval() {
        return settings.pollInterval();
    }
}
