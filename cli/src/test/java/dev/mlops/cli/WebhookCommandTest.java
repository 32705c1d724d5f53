package dev.mlops.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class WebhookCommandTest {
    private static final String SECRET = "cli-test-secret-0123456789abcdef";
    @TempDir
    Path dir;
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private Context context(Map<String, String> env) {
        return new Context(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), env, dir, Clock.systemUTC());
    }

    private String output() {
        return out.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8);
    }

    private WebhookCommand.Serve.Running serve(String... args) {
        WebhookCommand.Serve serve = new WebhookCommand.Serve(context(Map.of("MLOPS_WEBHOOK_SECRET", SECRET)));
        new CommandLine(serve).parseArgs(args);
        return serve.start();
    }

    private int send(String url, String... extra) {
        List<String> args = new java.util.ArrayList<>(List.of("webhook", "send", "--url", url, "--job", "churn-retrain", "--model", "churn",
                "--version", "4", "--reason", "drift in 7 of 25 features", "--summary", "driftShare=0.28", "--registry", dir.resolve("sender").toString()));
        args.addAll(List.of(extra));
        return Main.run(context(Map.of("MLOPS_WEBHOOK_SECRET", SECRET)), args.toArray(String[]::new));
    }

    @Test
    void sendReachesServeWhichRunsTheJobOnceWithinTheCooldown() throws Exception {
        String url;
        try (WebhookCommand.Serve.Running running = serve("--port", "0", "--registry", dir.resolve("receiver").toString(),
                "--job", "churn-retrain=echo retraining $MLOPS_MODEL:$MLOPS_VERSION")) {
            url = running.server().url().toString();
            assertEquals(0, send(url), output());
            assertTrue(out.toString(StandardCharsets.UTF_8).contains("triggered: drift in 7 of 25 features"), output());
            assertEquals(4, send(url), output());
            assertTrue(out.toString(StandardCharsets.UTF_8).contains("suppressed: cool-down"), output());
        }
        try (Stream<Path> logs = Files.list(dir.resolve(".mlops/webhook-logs"))) {
            List<Path> files = logs.filter(p -> p.toString().endsWith(".log")).toList();
            assertEquals(1, files.size());
            assertTrue(Files.readString(files.get(0)).contains("retraining churn:4"));
        }
        assertEquals(0, Main.run(context(Map.of()), "audit", "--registry", dir.resolve("sender").toString()), output());
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("retrain-suppressed"), output());
        assertFalse(output().contains(SECRET));
    }

    @Test
    void dryRunSendsNothingAndPrintsThePayload() {
        // nothing listens there: a dry run must not try
        assertEquals(0, send("http://127.0.0.1:9/mlops-webhook/retrain", "--dry-run", "--json"), output());
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("\"status\":\"dry_run\""), output());
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("mlops.retrain-request/v1"), output());
        assertFalse(output().contains(SECRET));
    }

    @Test
    void missingSecretNamesTheVariable() {
        int code = Main.run(context(Map.of()), "webhook", "send", "--url", "http://127.0.0.1:9/x", "--job", "j", "--model", "churn",
                "--reason", "r", "--registry", dir.resolve("sender").toString());
        assertEquals(2, code);
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("MLOPS_WEBHOOK_SECRET is not set"), output());
    }
}
