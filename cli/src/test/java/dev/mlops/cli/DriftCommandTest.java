package dev.mlops.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.json.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** mlops register --reference-data, then mlops drift: exit 0 without drift, 5 with it, reports written. */
class DriftCommandTest {
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
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    void csv(String name, int rows, long seed, double shift) throws IOException {
        Random random = new Random(seed);
        StringBuilder b = new StringBuilder("age,income,plan,churned\n");
        for (int i = 0; i < rows; i++) {
            b.append(40 + 10 * random.nextGaussian() + shift).append(',').append(50_000 + 8_000 * random.nextGaussian()).append(',')
                    .append(random.nextBoolean() ? "basic" : "pro").append(',').append(random.nextInt(2)).append('\n');
        }
        Files.writeString(work.resolve(name), b.toString());
    }

    @BeforeEach
    void register() throws IOException {
        env.put("MLOPS_ACTOR", "tester");
        Path model = Files.createDirectories(work.resolve("model"));
        Files.writeString(model.resolve("schema.json"),
                "{\"task\":\"classification\",\"features\":[\"age\",\"income\",\"plan\"],\"label\":\"churned\",\"classes\":[\"0\",\"1\"]}");
        Files.writeString(model.resolve("weights.bin"), "not a loadable model: the profile has no prediction distribution");
        csv("train.csv", 5000, 1, 0);
        Result r = mlops("register", "--model", "churn", "--path", "model", "--reference-data", "train.csv", "--json");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("reference-profile.json"), r.out());
    }

    @Test
    void sameDistributionExitsZero() throws IOException {
        csv("today.csv", 3000, 2, 0);
        Result r = mlops("drift", "--model", "churn:1", "--current", "today.csv", "--report-dir", "reports", "--json");
        assertEquals(0, r.code(), r.err() + r.out());
        JsonNode summary = r.json();
        assertEquals("mlops.drift-summary/v1", summary.get("schema").asText());
        assertEquals(false, summary.get("drift").asBoolean());
        assertEquals(3, summary.get("evaluated_features").asInt());
        assertTrue(Files.isRegularFile(work.resolve("reports/drift.html")));
        assertTrue(Files.readString(work.resolve("reports/drift.json")).contains("mlops.drift/v1"));
    }

    @Test
    void shiftedTrafficExitsFive() throws IOException {
        csv("today.csv", 3000, 3, 25);
        Result r = mlops("drift", "--model", "churn", "--current", "today.csv", "--report-dir", "reports", "--drift-share", "0.3");
        assertEquals(5, r.code(), r.err() + r.out());
        assertTrue(r.out().contains("Verdict: DRIFT"), r.out());
        assertTrue(r.out().contains("age"), r.out());
        Result forced = mlops("drift", "--model", "churn", "--current", "today.csv", "--report-dir", "reports", "--method", "psi",
                "--threshold", "psi=100", "--json");
        assertEquals(0, forced.code(), forced.err());
    }

    @Test
    void badInputNamesTheFieldAndTheFix() throws IOException {
        csv("today.csv", 10, 3, 0);
        Result r = mlops("drift", "--model", "churn", "--current", "today.csv", "--method", "magic");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("drift.method"), r.err());
        r = mlops("drift", "--model", "churn", "--current", "nowhere.csv");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("current"), r.err());
        r = mlops("drift", "--model", "churn", "--current", "today.csv", "--since", "yesterday");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--since"), r.err());
        Files.writeString(work.resolve("m.bin"), "x");
        assertEquals(0, mlops("register", "--model", "bare", "--path", "m.bin").code());
        r = mlops("drift", "--model", "bare", "--current", "today.csv");
        assertEquals(3, r.code(), r.err());
        assertTrue(r.err().contains("--reference-data"), r.err());
    }
}
