package dev.mlops.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mlops.audit.AuditLog;
import dev.mlops.drift.ReferenceProfile;
import dev.mlops.drift.ReferenceProfiler;
import dev.mlops.error.InvalidInputException;
import dev.mlops.retrain.JobLauncher;
import dev.mlops.retrain.RetrainLedger;
import dev.mlops.retrain.RetrainMode;
import dev.mlops.retrain.RetrainPayload;
import dev.mlops.retrain.RetrainPolicy;
import dev.mlops.retrain.Retrainer;
import dev.mlops.retrain.RetryPolicy;
import dev.mlops.retrain.WebhookReceiver;
import dev.mlops.retrain.WebhookSecret;
import dev.mlops.retrain.WebhookServer;
import dev.mlops.serve.InferenceLog;
import dev.mlops.serve.InferenceRecord;
import dev.mlops.serve.LogSettings;
import dev.mlops.storage.LocalArtifactStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The monitor over logs written by the real InferenceLog, triggering a real webhook receiver on 127.0.0.1. */
class DriftMonitorTest {
    static final String SECRET = "monitor-test-secret-0123456789abcdef";
    static final Map<String, String> ENV = Map.of("MLOPS_WEBHOOK_SECRET", SECRET);
    static final int ROWS_PER_RECORD = 50;
    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    @TempDir
    Path dir;
    Path logs;
    Path profile;
    final List<RetrainPayload> launched = new CopyOnWriteArrayList<>();
    WebhookServer receiver;
    Clock clock = Clock.fixed(Instant.parse("2026-01-02T00:00:00Z"), ZoneOffset.UTC);

    @BeforeEach
    void referenceAndReceiver() throws IOException {
        logs = dir.resolve("logs");
        Path csv = dir.resolve("train.csv");
        Random random = new Random(7);
        StringBuilder text = new StringBuilder("x1,x2\n");
        for (int i = 0; i < 5000; i++) {
            text.append(random.nextGaussian()).append(',').append(random.nextGaussian() * 2 + 10).append('\n');
        }
        Files.writeString(csv, text);
        ReferenceProfile reference = ReferenceProfiler.profile(csv, ReferenceProfiler.Options.defaults(), null, T0);
        profile = dir.resolve("reference-profile.json");
        Files.write(profile, reference.toJson());

        LocalArtifactStore receiverState = new LocalArtifactStore(dir.resolve("receiver"));
        JobLauncher recording = new JobLauncher() {
            @Override
            public boolean knows(String job) {
                return job.equals("churn-retrain");
            }

            @Override
            public String launch(String job, RetrainPayload payload) {
                launched.add(payload);
                return "local:" + payload.id();
            }
        };
        receiver = WebhookServer.start(new WebhookReceiver(() -> WebhookSecret.of(SECRET, "test"), recording,
                new RetrainLedger(receiverState, Clock.systemUTC()), new AuditLog(receiverState, Clock.systemUTC()),
                WebhookReceiver.Settings.defaults(RetrainPolicy.of(0, 0, RetrainMode.TRIGGER))), "127.0.0.1", 0,
                WebhookServer.DEFAULT_PATH, WebhookServer.DEFAULT_MAX_BODY);
    }

    @AfterEach
    void stop() {
        receiver.close();
    }

    /** Writes {@code records} records of 50 rows through the server's real inference log; {@code shift} moves x1 (drift). */
    void serve(int records, double shift, long seed, Instant start, Duration step) {
        try (InferenceLog log = InferenceLog.open(LogSettings.defaults(logs), message -> { })) {
            Random random = new Random(seed);
            for (int r = 0; r < records; r++) {
                float[][] inputs = new float[ROWS_PER_RECORD][];
                double[][] outputs = new double[ROWS_PER_RECORD][];
                for (int i = 0; i < ROWS_PER_RECORD; i++) {
                    inputs[i] = new float[] {(float) (random.nextGaussian() + shift), (float) (random.nextGaussian() * 2 + 10)};
                    outputs[i] = new double[] {0.5, 0.5};
                }
                Instant ts = start.plus(step.multipliedBy(r));
                assertTrue(log.offer(new InferenceRecord(ts, "churn", 1, "r-" + seed + "-" + r, "primary", "weight", inputs, outputs, 0.1, null)));
            }
        }
    }

    MonitorSettings rows(long windowRows) {
        return new MonitorSettings(null, "churn@production", profile.toString(), logs, windowRows, 0, null, dir.resolve("monitor"), null,
                MonitorSettings.DEFAULT_KEEP_WINDOWS, Duration.ofMillis(20), null);
    }

    DriftRetrain retrain(LocalArtifactStore registry) {
        RetrainTarget target = new RetrainTarget(receiver.url(), null, null, "churn-retrain", null, null,
                RetrainPolicy.of(60, 0, RetrainMode.TRIGGER), new RetryPolicy(2, Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofSeconds(10)));
        return DriftRetrain.open(target, "churn", registry, ENV, Clock.systemUTC(), line -> { }, "monitor-test", null);
    }

    @Test
    void driftInjectedInLaterWindowsTriggersExactlyOneRetrainAcrossARestart() {
        LocalArtifactStore registry = new LocalArtifactStore(dir.resolve("registry"));
        List<String> printed = new ArrayList<>();
        serve(40, 0, 1, T0, Duration.ofSeconds(1));

        List<WindowResult> same = new DriftMonitor(rows(1000), dir, ENV, clock, retrain(registry), printed::add).poll();

        assertEquals(2, same.size(), "40 records of 50 rows are two windows of 1000 rows");
        assertTrue(same.stream().noneMatch(WindowResult::drifted), () -> same.stream().map(WindowResult::line).toList().toString());
        assertTrue(same.stream().allMatch(w -> w.trigger() == null));
        assertTrue(launched.isEmpty());

        serve(70, 3, 2, T0.plusSeconds(100), Duration.ofSeconds(1));
        DriftMonitor restarted = new DriftMonitor(rows(1000), dir, ENV, clock, retrain(registry), printed::add);
        List<WindowResult> drifted = restarted.poll();

        assertEquals(List.of(3L, 4L, 5L), drifted.stream().map(WindowResult::index).toList(), "the restart resumes after window 2");
        assertTrue(drifted.stream().allMatch(WindowResult::drifted), () -> drifted.stream().map(WindowResult::line).toList().toString());
        assertEquals(List.of("TRIGGERED", "SUPPRESSED", "SUPPRESSED"), drifted.stream().map(w -> w.trigger().outcome()).toList());
        assertTrue(drifted.get(1).trigger().reason().startsWith("cool-down"), drifted.get(1).trigger().reason());
        assertEquals(1, launched.size(), "one retrain despite three drifted windows");
        RetrainPayload payload = launched.get(0);
        assertEquals("churn", payload.model());
        assertTrue(payload.reason().contains("x1"), payload.reason());
        assertEquals(drifted.get(0).html().toAbsolutePath().toUri(), payload.reportLink());
        assertEquals(Boolean.TRUE, payload.summary().get("drift"));
        assertEquals(5, restarted.state().windows());
        assertEquals(1, restarted.state().triggers());
        assertTrue(Files.isRegularFile(drifted.get(0).html()));

        List<WindowResult> nothingNew = restarted.poll();
        assertTrue(nothingNew.isEmpty(), "the last 500 rows are an open window, not evaluated yet");
        assertEquals(1, new AuditLog(registry, clock).read(1, 0).stream().filter(e -> e.action().equals(Retrainer.A_TRIGGER)).count());
    }

    @Test
    void timeWindowsFollowTheRecordsTimestampsAndCloseAfterTheSlackWithoutTraffic() {
        serve(60, 0, 3, T0, Duration.ofSeconds(1));
        MonitorSettings minute = new MonitorSettings(null, "churn", profile.toString(), logs, 0, 30, null, dir.resolve("monitor"), null,
                5, Duration.ofMillis(20), Duration.ofSeconds(2));

        List<WindowResult> windows = new DriftMonitor(minute, dir, ENV, clock, null, line -> { }).poll();

        assertEquals(2, windows.size(), "60 records one second apart are two 30 s windows; the last closes by the clock");
        assertEquals(List.of(1500L, 1500L), windows.stream().map(WindowResult::rows).toList());
        assertEquals(T0, windows.get(0).first());
        assertEquals(T0.plusSeconds(29), windows.get(0).last());
        assertFalse(windows.get(0).drifted());
        assertNull(windows.get(0).trigger());
    }

    @Test
    void aLineTheServerIsStillWritingIsReadOnceComplete() throws IOException {
        serve(20, 0, 4, T0, Duration.ofSeconds(1));
        Path file = Files.list(logs).findFirst().orElseThrow();
        String first = Files.readAllLines(file).get(0);
        Files.writeString(file, first.substring(0, 40), StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.APPEND);
        DriftMonitor monitor = new DriftMonitor(rows(1050), dir, ENV, clock, null, line -> { });

        assertTrue(monitor.poll().isEmpty(), "1000 complete rows and half a record: the window stays open");
        Files.writeString(file, first.substring(40) + "\n", StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.APPEND);

        List<WindowResult> windows = monitor.poll();
        assertEquals(1, windows.size());
        assertEquals(1050, windows.get(0).rows());
        assertEquals(Files.size(file), monitor.state().offset());
    }

    @Test
    void runStopsWhenAskedAndKeepsThePosition() throws Exception {
        serve(25, 0, 5, T0, Duration.ofSeconds(1));
        List<String> printed = new CopyOnWriteArrayList<>();
        DriftMonitor monitor = new DriftMonitor(rows(1000), dir, ENV, clock, null, printed::add);
        CountDownLatch stop = new CountDownLatch(1);
        Thread running = new Thread(() -> {
            try {
                monitor.run(stop);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        running.start();
        while (printed.isEmpty()) {
            Thread.sleep(10);
        }
        stop.countDown();
        running.join();

        assertEquals(1, printed.size(), printed.toString());
        assertTrue(printed.get(0).startsWith("window 1: 1000 rows"), printed.get(0));
        MonitorState saved = MonitorState.load(dir.resolve("monitor/state.json"), logs, "churn");
        assertEquals(1, saved.windows());
        assertEquals(monitor.state().offset(), saved.offset());
    }

    @Test
    void settingsNameEveryProblem() {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> new MonitorSettings(null, null, null, null, 0, 0, null, null,
                null, 0, null, null));
        assertTrue(e.getMessage().contains("--model: missing"), e.getMessage());
        assertTrue(e.getMessage().contains("--logs: missing"), e.getMessage());
        assertTrue(e.getMessage().contains("--window-rows / --window-seconds: give exactly one"), e.getMessage());
        assertTrue(e.getMessage().contains("--keep-windows"), e.getMessage());
    }

    @Test
    void aStateOfAnotherLogFolderIsRefused() {
        serve(20, 0, 6, T0, Duration.ofSeconds(1));
        new DriftMonitor(rows(1000), dir, ENV, clock, null, line -> { }).poll();
        MonitorSettings elsewhere = new MonitorSettings(null, "churn", profile.toString(), dir.resolve("other-logs"), 1000, 0, null,
                dir.resolve("monitor"), null, 5, null, null);

        InvalidInputException e = assertThrows(InvalidInputException.class, () -> new DriftMonitor(elsewhere, dir, ENV, clock, null, line -> { }));
        assertTrue(e.getMessage().contains("pass --state FILE"), e.getMessage());
    }
}
