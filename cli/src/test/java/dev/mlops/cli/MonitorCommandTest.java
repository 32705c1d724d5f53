package dev.mlops.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.json.Json;
import dev.mlops.serve.InferenceLog;
import dev.mlops.serve.InferenceRecord;
import dev.mlops.serve.LogSettings;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * mlops monitor and mlops drift --trigger end to end: a registered model with a reference profile, logs written by
 * the server's InferenceLog, and `mlops webhook serve` receiving the signed requests and running the job.
 */
class MonitorCommandTest {
    static final String SECRET = "monitor-cli-secret-0123456789abcdef";
    @TempDir
    Path work;
    final Map<String, String> env = new HashMap<>();

    record Result(int code, String out, String err) {
        JsonNode json() throws IOException {
            return Json.mapper().readTree(out);
        }
    }

    Result mlops(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(new Context(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                env, work, Clock.systemUTC()), args);
        Result result = new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        assertFalse((result.out() + result.err()).contains(SECRET), "the secret is never printed");
        return result;
    }

    @BeforeEach
    void register() throws IOException {
        env.put("MLOPS_ACTOR", "tester");
        Path model = Files.createDirectories(work.resolve("model"));
        Files.writeString(model.resolve("schema.json"),
                "{\"task\":\"classification\",\"features\":[\"age\",\"income\"],\"label\":\"churned\",\"classes\":[\"0\",\"1\"]}");
        Files.writeString(model.resolve("weights.bin"), "not a loadable model: the profile has no prediction distribution");
        Random random = new Random(1);
        StringBuilder b = new StringBuilder("age,income,churned\n");
        for (int i = 0; i < 5000; i++) {
            b.append(40 + 10 * random.nextGaussian()).append(',').append(50_000 + 8_000 * random.nextGaussian()).append(',')
                    .append(random.nextInt(2)).append('\n');
        }
        Files.writeString(work.resolve("train.csv"), b.toString());
        Result r = mlops("register", "--model", "churn", "--path", "model", "--reference-data", "train.csv", "--alias", "production");
        assertEquals(0, r.code(), r.err());
    }

    /** {@code records} records of 50 rows through the server's inference log; {@code shift} moves age (drift). */
    void serve(int records, double shift, long seed) {
        try (InferenceLog log = InferenceLog.open(LogSettings.defaults(work.resolve("logs")), message -> { })) {
            Random random = new Random(seed);
            for (int r = 0; r < records; r++) {
                float[][] inputs = new float[50][];
                for (int i = 0; i < inputs.length; i++) {
                    inputs[i] = new float[] {(float) (40 + 10 * random.nextGaussian() + shift), (float) (50_000 + 8_000 * random.nextGaussian())};
                }
                log.offer(new InferenceRecord(Instant.now(), "churn", 1, "r" + r, "primary", "weight", inputs, null, 0.2, null));
            }
        }
    }

    WebhookCommand.Serve.Running receiver() {
        WebhookCommand.Serve serve = new WebhookCommand.Serve(new Context(System.out, System.err, Map.of("MLOPS_WEBHOOK_SECRET", SECRET), work,
                Clock.systemUTC()));
        new CommandLine(serve).parseArgs("--port", "0", "--registry", work.resolve("receiver").toString(), "--job", "churn=echo retraining $MLOPS_MODEL");
        return serve.start();
    }

    long retrainRuns() throws IOException {
        Path logs = work.resolve(".mlops/webhook-logs");
        if (!Files.isDirectory(logs)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(logs)) {
            return files.filter(p -> p.toString().endsWith(".log")).count();
        }
    }

    @Test
    void monitorTriggersOneRetrainForSeveralDriftedWindowsAndDriftTriggerRespectsTheSameCooldown() throws Exception {
        env.put("MLOPS_WEBHOOK_SECRET", SECRET);
        try (WebhookCommand.Serve.Running running = receiver()) {
            String url = running.server().url().toString();
            List<String> monitor = List.of("monitor", "--model", "churn@production", "--logs", "logs", "--window-rows", "1000", "--once",
                    "--trigger", "--webhook", url, "--job", "churn", "--cooldown-minutes", "60", "--attempts", "1");
            serve(40, 0, 2);

            Result calm = mlops(monitor.toArray(String[]::new));
            assertEquals(0, calm.code(), calm.err() + calm.out());
            assertTrue(calm.out().contains("window 1: 1000 rows"), calm.out());
            assertTrue(calm.out().contains("window 2: 1000 rows"), calm.out());
            assertFalse(calm.out().contains("DRIFT"), calm.out());
            assertEquals(0, retrainRuns());

            serve(60, 30, 3);
            Result drifted = mlops(monitor.toArray(String[]::new));
            assertEquals(5, drifted.code(), drifted.err() + drifted.out());
            assertTrue(drifted.out().contains("window 3: 1000 rows"), drifted.out());
            assertTrue(drifted.out().contains("window 5: 1000 rows"), drifted.out());
            assertEquals(1, drifted.out().split("retrain triggered", -1).length - 1, drifted.out());
            assertEquals(2, drifted.out().split("retrain suppressed: cool-down", -1).length - 1, drifted.out());

            // exactly the arguments the shared-library var mlopsDriftCheck passes (MlopsDriftCheckTest), plus what mlopsCli adds
            Result once = mlops("drift", "--model", "churn@production", "--current", "logs", "--method", "auto", "--correction",
                    "benjamini_hochberg", "--drift-share", "0.3", "--max-rows", "10000", "--report-dir", ".mlops/reports/drift", "--no-fail",
                    "--trigger", "--webhook", url, "--job", "churn", "--cooldown-minutes", "60", "--max-per-day", "2", "--trigger-mode", "trigger",
                    "--registry", ".mlops/registry", "--json");
            assertEquals(0, once.code(), once.err());
            assertEquals("SUPPRESSED", once.json().get("trigger").get("outcome").asText(), once.out());
        }
        assertEquals(1, retrainRuns(), "one retrain ran despite three drifted windows and a drift --trigger");
        try (Stream<Path> runs = Files.list(work.resolve(".mlops/webhook-logs"))) {
            assertTrue(Files.readString(runs.filter(p -> p.toString().endsWith(".log")).findFirst().orElseThrow()).contains("retraining churn"));
        }
        Result audit = mlops("audit", "--model", "churn");
        assertTrue(audit.out().contains("retrain-trigger"), audit.out());
        assertTrue(audit.out().contains("retrain-suppressed"), audit.out());
    }

    @Test
    @org.junit.jupiter.api.Timeout(120)
    void aRunningMonitorStopsGracefullyOnSigtermAndARestartContinuesAfterTheLastWindow() throws Exception {
        serve(30, 0, 6);
        List<String> command = List.of(ProcessHandle.current().info().command().orElse("java"), "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "monitor", "--model", "churn@production", "--logs", "logs", "--window-rows", "1000", "--poll-millis", "50");
        ProcessBuilder builder = new ProcessBuilder(command).directory(work.toFile()).redirectErrorStream(true);
        builder.environment().put("MLOPS_ACTOR", "tester");
        Process monitor = builder.start();
        StringBuilder seen = new StringBuilder();
        try (java.io.BufferedReader lines = new java.io.BufferedReader(new java.io.InputStreamReader(monitor.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null && !line.startsWith("window 1:")) {
                seen.append(line).append('\n');
            }
            seen.append(line).append('\n');
            monitor.toHandle().destroy(); // SIGTERM, leaving our end of its output open
            while ((line = lines.readLine()) != null) {
                seen.append(line).append('\n');
            }
        }
        monitor.waitFor();
        assertTrue(seen.toString().contains("window 1: 1000 rows"), seen.toString());
        assertTrue(seen.toString().contains("mlops monitor: stopped after window 1; position saved in"), seen.toString());
        JsonNode state = Json.mapper().readTree(work.resolve(".mlops/monitor/churn/state.json").toFile());
        assertEquals(1, state.get("windows").asInt());

        serve(10, 0, 7);
        Result resumed = mlops("monitor", "--model", "churn@production", "--logs", "logs", "--window-rows", "1000", "--once");
        assertEquals(0, resumed.code(), resumed.err());
        assertTrue(resumed.out().startsWith("window 2: 1000 rows"), "the 500 rows left open before the stop start window 2: " + resumed.out());
    }

    @Test
    void driftTriggerDryRunSendsNothingAndSaysWhatItWouldSend() throws IOException {
        env.put("MLOPS_WEBHOOK_SECRET", SECRET);
        serve(40, 30, 4);
        // nothing listens on port 9: a dry run must not try
        Result r = mlops("drift", "--model", "churn@production", "--current", "logs", "--trigger", "--webhook", "http://127.0.0.1:9/mlops-webhook/retrain",
                "--dry-run", "--report-url", "https://jenkins.example.com/job/drift/7/artifact/drift.html");
        assertEquals(5, r.code(), r.err());
        assertTrue(r.out().contains("Retrain: dry run: nothing sent; drift in 1 of 2 features (age)"), r.out());
        assertTrue(r.err().contains("mlops.retrain-request/v1"), r.err());
        assertTrue(r.err().contains("https://jenkins.example.com/job/drift/7/artifact/drift.html"), r.err());
    }

    @Test
    void aMissingSecretFailsBeforeAnyWorkNamingTheVariable() {
        serve(40, 30, 5);
        Result r = mlops("monitor", "--model", "churn@production", "--logs", "logs", "--window-rows", "1000", "--once", "--trigger",
                "--webhook", "http://127.0.0.1:9/x");
        assertEquals(2, r.code(), r.out());
        assertTrue(r.err().contains("MLOPS_WEBHOOK_SECRET is not set"), r.err());
        assertFalse(Files.exists(work.resolve(".mlops/monitor/churn/state.json")));

        Result both = mlops("monitor", "--model", "churn", "--logs", "logs", "--window-rows", "10", "--window-seconds", "60", "--once");
        assertEquals(2, both.code());
        assertTrue(both.err().contains("--window-rows / --window-seconds: give exactly one"), both.err());

        Result noTrigger = mlops("drift", "--model", "churn", "--current", "logs", "--webhook", "http://127.0.0.1:9/x");
        assertEquals(2, noTrigger.code());
        assertTrue(noTrigger.err().contains("given without --trigger"), noTrigger.err());
    }
}
