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
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the real demo (servers, monitor, webhook, retraining) in a temp folder; about half a minute. */
class DemoCommandTest {
    @TempDir
    Path work;

    @Test
    void closesTheLevel4LoopAndLeavesNothingRunning() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Map<String, String> env = new HashMap<>(System.getenv());
        env.remove("MLOPS_REGISTRY");
        int code = Main.run(new Context(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(new ByteArrayOutputStream(), true,
                StandardCharsets.UTF_8), env, work, Clock.systemUTC()), "demo");
        String text = out.toString(StandardCharsets.UTF_8);
        assertEquals(0, code, text);
        assertTrue(text.contains("== [1/12]") && text.contains("== [12/12]"), text);
        assertTrue(text.contains("is valid: model demo-churn, configures level 4"), text);
        assertTrue(text.matches("(?s).*window \\d+: \\d+ rows .* DRIFT .*retrain triggered.*"), text);
        assertTrue(text.matches("(?s).*cool-down: window \\d+ drifted too, no second retrain.*"), text);
        assertTrue(text.contains("loop closed: drift → signed webhook → retrain → demo-churn:3 promoted to production"), text);
        assertTrue(text.contains("model creation           Level 4"), text);
        assertTrue(text.contains("chain: intact"), text);
        assertTrue(text.contains("maturity.html") && text.contains("drift.html") && text.contains("evaluation.html"), text);
        assertTrue(text.contains("stopped production demo-churn:3"), text);
        Path demo = work.resolve(".mlops/demo");
        assertTrue(Files.isRegularFile(demo.resolve("Jenkinsfile")) && Files.isRegularFile(demo.resolve("mlops.yaml")));
        assertEquals(Files.readString(Path.of("..", "examples", "level4", "Jenkinsfile")), Files.readString(demo.resolve("Jenkinsfile")),
                "the demo's Jenkinsfile is examples/level4's");
        assertFalse(text.toLowerCase().contains("secret:"), "no secret printed");
    }

    @Test
    void refusesAFolderItDidNotMake() throws Exception {
        Files.writeString(work.resolve("notes.txt"), "mine");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(new Context(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), System.getenv(), work, Clock.systemUTC()), "demo", "--workdir", ".");
        assertEquals(2, code);
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("--workdir"), err.toString(StandardCharsets.UTF_8));
        assertTrue(Files.exists(work.resolve("notes.txt")));
    }
}
