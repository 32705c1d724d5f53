package dev.mlops.monitor;

import dev.mlops.drift.DriftCheck;
import dev.mlops.drift.DriftSettings;
import dev.mlops.drift.ReferenceProfile;
import dev.mlops.drift.ReferenceProfiler;
import dev.mlops.serve.InferenceLog;
import dev.mlops.serve.InferenceRecord;
import dev.mlops.serve.LogSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * bench/monitor.sh: ROWS logged rows of 20 numeric features (records of 50 rows, written by the server's InferenceLog),
 * then in the same run (a) one {@code mlops drift}-style check over the whole log folder (the baseline) and (b)
 * {@link DriftMonitor} tailing the same files in windows of WINDOW rows, each window checked and reported.
 * Prints rows/s of both and their ratio. Usage: MonitorBench DIR ROWS WINDOW
 */
public final class MonitorBench {
    private static final int FEATURES = 20;

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        long rows = Long.parseLong(args[1]);
        long window = Long.parseLong(args[2]);
        Files.createDirectories(dir);
        Path logs = dir.resolve("logs-" + rows);
        Path profile = dir.resolve("profile.json");
        if (!Files.isRegularFile(profile)) {
            Random random = new Random(1);
            StringBuilder csv = new StringBuilder();
            for (int f = 0; f < FEATURES; f++) {
                csv.append(f == 0 ? "" : ",").append("f").append(f);
            }
            csv.append('\n');
            for (int i = 0; i < 20_000; i++) {
                for (int f = 0; f < FEATURES; f++) {
                    csv.append(f == 0 ? "" : ",").append(random.nextGaussian() + f);
                }
                csv.append('\n');
            }
            Files.writeString(dir.resolve("reference.csv"), csv);
            ReferenceProfile p = ReferenceProfiler.profile(dir.resolve("reference.csv"), ReferenceProfiler.Options.defaults(), null, Instant.now());
            Files.write(profile, p.toJson());
        }
        if (!Files.isDirectory(logs)) {
            try (InferenceLog log = InferenceLog.open(LogSettings.defaults(logs).withLimits(64 * 1024, 64L * 1024 * 1024, 1000).withQueueCapacity(1 << 16),
                    m -> { })) {
                Random random = new Random(2);
                for (long r = 0; r < rows / 50; r++) {
                    float[][] inputs = new float[50][FEATURES];
                    for (float[] row : inputs) {
                        for (int f = 0; f < FEATURES; f++) {
                            row[f] = (float) (random.nextGaussian() + f);
                        }
                    }
                    while (!log.offer(new InferenceRecord(Instant.now(), "bench", 1, "r" + r, "primary", "weight", inputs, null, 0.1, null))) {
                        Thread.sleep(1);
                    }
                }
            }
        }
        long t0 = System.nanoTime();
        DriftCheck.Result whole = DriftCheck.run(new DriftCheck.Input(null, "bench", profile.toString(), logs.toString(), null, null, 0,
                DriftSettings.defaults(), dir.resolve("baseline-report").toString()), dir, Map.of(), Clock.systemUTC());
        double baseline = (System.nanoTime() - t0) / 1e9;

        Path work = dir.resolve("monitor-" + System.nanoTime());
        MonitorSettings settings = new MonitorSettings(null, "bench", profile.toString(), logs, window, 0, null, work, null, 5,
                Duration.ofSeconds(1), null);
        long t1 = System.nanoTime();
        List<WindowResult> windows = new DriftMonitor(settings, dir, Map.of(), Clock.systemUTC(), null, line -> { }).poll();
        double monitored = (System.nanoTime() - t1) / 1e9;
        long monitoredRows = windows.stream().mapToLong(WindowResult::rows).sum();

        System.out.printf(Locale.ROOT, "baseline: one drift check over %d rows: %.2f s, %.0f rows/s%n", whole.report().currentRows(), baseline,
                whole.report().currentRows() / baseline);
        System.out.printf(Locale.ROOT, "monitor: %d windows of %d rows (%d rows): %.2f s, %.0f rows/s; monitor/baseline rows/s %.2f%n",
                windows.size(), window, monitoredRows, monitored, monitoredRows / monitored,
                (monitoredRows / monitored) / (whole.report().currentRows() / baseline));
    }
}
