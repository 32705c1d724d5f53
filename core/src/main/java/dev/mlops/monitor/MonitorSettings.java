package dev.mlops.monitor;

import dev.mlops.drift.DriftSettings;
import dev.mlops.error.InvalidInputException;
import dev.mlops.registry.ModelRef;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What {@link DriftMonitor} watches and how it cuts windows: exactly one of {@code windowRows} (a window
 * closes at the record that brings it to at least that many logged rows) or {@code windowSeconds}
 * (windows aligned to multiples of that many seconds of the records' timestamps; a window closes when a
 * later record arrives or, without traffic, {@code flushSlack} after its end). Relative paths start at
 * the working directory. {@code workDir} holds {@code state.json} and one folder per window (its
 * logged lines, drift.json, drift.html), of which the newest {@code keepWindows} are kept.
 */
public record MonitorSettings(String registry, String model, String referenceProfile, Path logDir, long windowRows, long windowSeconds,
                              DriftSettings drift, Path workDir, Path stateFile, int keepWindows, Duration pollInterval, Duration flushSlack) {
    public static final int DEFAULT_KEEP_WINDOWS = 50;
    public static final Duration DEFAULT_POLL = Duration.ofSeconds(1);
    /** How long after a time window's end the server's log writer may still be flushing records of it. */
    public static final Duration DEFAULT_FLUSH_SLACK = Duration.ofSeconds(2);

    public MonitorSettings {
        List<String> problems = new ArrayList<>();
        if (model == null || model.isBlank()) {
            problems.add("--model: missing; pass NAME@ALIAS (e.g. churn@production) or NAME:VERSION");
        } else {
            ModelRef.parse(model);
        }
        if (logDir == null) {
            problems.add("--logs: missing; pass the model server's --log-dir");
        }
        if ((windowRows > 0) == (windowSeconds > 0)) {
            problems.add("--window-rows / --window-seconds: give exactly one, a positive number (e.g. --window-rows 5000)");
        }
        if (windowRows < 0 || windowSeconds < 0) {
            problems.add("--window-rows / --window-seconds: negative; give a positive number");
        }
        if (keepWindows < 1) {
            problems.add("--keep-windows: " + keepWindows + " keeps nothing; keep at least 1");
        }
        if (!problems.isEmpty()) {
            throw new InvalidInputException(String.join("; ", problems));
        }
        drift = drift == null ? DriftSettings.defaults() : drift;
        String name = ModelRef.parse(model).model();
        workDir = workDir == null ? Path.of(".mlops", "monitor", name) : workDir;
        stateFile = stateFile == null ? workDir.resolve("state.json") : stateFile;
        pollInterval = pollInterval == null ? DEFAULT_POLL : pollInterval;
        flushSlack = flushSlack == null ? DEFAULT_FLUSH_SLACK : flushSlack;
    }

    /** The model's name, which selects its records in a log shared by several models. */
    public String modelName() {
        return ModelRef.parse(model).model();
    }

    public String describeWindow() {
        return windowRows > 0 ? windowRows + " rows" : windowSeconds + " s";
    }
}
