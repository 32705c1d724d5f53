package dev.mlops.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.json.Json;
import dev.mlops.train.GpuProbe;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainCommandTest {
    @TempDir
    Path work;
    final Map<String, String> env = new HashMap<>();

    record Result(int code, String out, String err) {
        JsonNode json() {
            try {
                return Json.mapper().readTree(out);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + out + "\nstderr: " + err, e);
            }
        }
    }

    Result mlops(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(new Context(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                env, work, Clock.systemUTC()), args);
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @BeforeEach
    void data() throws IOException {
        Random random = new Random(3);
        StringBuilder csv = new StringBuilder("tenure,spend,calls,churned\n");
        for (int r = 0; r < 800; r++) {
            double a = random.nextGaussian();
            double b = random.nextGaussian();
            double c = random.nextGaussian();
            csv.append(String.format(Locale.ROOT, "%.3f,%.2f,%.3f,%d%n", 24 + 10 * a, 80 + 30 * b, c, 2 * a - b + 0.3 * c > 0 ? 1 : 0));
        }
        Files.writeString(work.resolve("churn.csv"), csv);
        Files.writeString(work.resolve("train.sh"), """
                echo "training lr=$(printf '%s' "$MLOPS_PARAMS")"
                echo weights > "$MLOPS_OUTPUT_DIR/model.bin"
                echo "mlops-metric accuracy=0.88"
                """);
        env.put("MLOPS_ACTOR", "tester");
    }

    @Test
    void trainsTheBuiltInMlpRecordsTheRunAndReusesIt() {
        Result first = mlops("train", "--data", "churn.csv", "--label", "churned", "--param", "epochs=4", "--param", "hidden=16", "--json");
        assertEquals(0, first.code(), first.err());
        JsonNode run = first.json();
        assertEquals("mlops.run/v1", run.get("schema").asText());
        assertEquals("SUCCEEDED", run.get("status").asText());
        assertEquals("djl-mlp", run.get("trainer").asText());
        assertEquals("djl-mlp", run.get("format").asText());
        assertFalse(run.get("reused").asBoolean());
        assertEquals(42, run.get("seed").asInt());
        assertTrue(run.get("metrics").get("val_accuracy").asDouble() > 0.8, run.get("metrics").toString());
        assertEquals(4, run.get("epochs").size());
        assertEquals("cpu", run.get("environment").get("trainer").get("djl.device").asText());
        assertTrue(run.get("environment").get("trainer").has("gpu.note"));
        assertEquals("churn.csv", run.get("lineage").get("datasets").get(0).get("path").asText());
        assertTrue(Files.isRegularFile(Path.of(run.get("outputDir").asText()).resolve("schema.json")));
        assertTrue(first.err().contains("epoch 4/4 loss="), first.err());
        String id = run.get("id").asText();

        Result again = mlops("train", "--data", "churn.csv", "--label", "churned", "--param", "epochs=4", "--param", "hidden=16");
        assertEquals(0, again.code(), again.err());
        assertTrue(again.err().contains("reusing run " + id + " (same code, data, params)"), again.err());
        assertTrue(again.out().startsWith("run " + id + "  SUCCEEDED (reused, not retrained)  djl-mlp"), again.out());
        assertTrue(again.out().contains("register with: mlops register --from-run " + id + " --model NAME"), again.out());
        assertTrue(again.out().contains("  data:     churn.csv"), again.out());
    }

    @Test
    void runsTheTeamsOwnCommand() {
        Result r = mlops("train", "--trainer", "command", "--command", "sh train.sh", "--data", "churn.csv", "--param", "lr=0.1", "--json");
        assertEquals(0, r.code(), r.err());
        assertEquals(0.88, r.json().get("metrics").get("accuracy").asDouble());
        assertEquals(0, r.json().get("exitCode").asInt());
        assertEquals("model.bin", r.json().get("files").get(0).get("path").asText());
        assertTrue(r.err().contains("training lr={\"lr\":\"0.1\"}"), r.err());
    }

    @Test
    void aFailingCommandExitsOneWithTheReason() throws IOException {
        Files.writeString(work.resolve("train.sh"), "echo 'CUDA out of memory' >&2\nexit 3\n");
        Result r = mlops("train", "--trainer", "command", "--command", "sh train.sh", "--data", "churn.csv");
        assertEquals(1, r.code());
        assertTrue(r.out().contains(" FAILED "), r.out());
        assertTrue(r.err().contains("FAILED: training command exited with code 3\n"), r.err());
        assertTrue(r.err().contains("CUDA out of memory"), r.err());
    }

    @Test
    void badInputExitsTwoNamingTheField() {
        assertError(mlops("train", "--trainer", "xgboost", "--data", "churn.csv"), "trainer: 'xgboost' is unknown");
        assertError(mlops("train", "--trainer", "command", "--data", "churn.csv"), "command: --trainer command needs");
        assertError(mlops("train", "--command", "sh train.sh", "--data", "churn.csv"), "command: only used with --trainer command");
        assertError(mlops("train", "--data", "churn.csv", "--param", "learnig_rate=0.1"), "params.learnig_rate: unknown parameter");
        assertError(mlops("train", "--data", "missing.csv"), "data: missing.csv is not a readable file");
        assertError(mlops("train", "--data", "churn.csv", "--label", "y", "--param", "label=x"), "--label: also given as --param");
        assertError(mlops("train", "--data", "churn.csv", "--label", "nope"), "label: column 'nope' is not in churn.csv");
        assertFalse(Files.exists(work.resolve(".mlops/runs")) && work.resolve(".mlops/runs").toFile().list().length > 1);
    }

    @Test
    void requireGpuFailsFastOnACpuAgent() {
        assumeTrue(new GpuProbe().nvidiaGpus().isEmpty(), "this machine has a GPU");
        env.put("NODE_NAME", "linux-cpu-7");
        Result r = mlops("train", "--data", "churn.csv", "--require-gpu");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().startsWith("mlops: error: require-gpu: no GPU visible on host "), r.err());
        assertTrue(r.err().contains("(agent linux-cpu-7)"), r.err());
        assertFalse(Files.exists(work.resolve(".mlops/runs")), "nothing was recorded");
    }

    static void assertError(Result r, String messageStart) {
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().startsWith("mlops: error: " + messageStart), r.err());
    }
}
