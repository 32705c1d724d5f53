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
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigMaturityCommandTest {
    @TempDir
    Path work;

    record Result(int code, String out, String err) {
        JsonNode json() throws IOException {
            return Json.mapper().readTree(out);
        }
    }

    Result mlops(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(new Context(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                Map.of(), work, Clock.systemUTC()), args);
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void validateListsEveryProblemOnePerLineAndExitsTwo() throws IOException {
        Files.writeString(work.resolve("mlops.yaml"), """
                model: churn
                train: {command: python train.py}
                gate:
                  metrics:
                    - {name: accuracy}
                    - {name: log_loss, min_relative_change: "0.01"}
                deploy:
                  canary: {stpes: [10, 100]}
                """);
        Result r = mlops("config", "validate");
        assertEquals(2, r.code(), r.err());
        String[] lines = r.out().strip().split("\n");
        assertEquals(3, lines.length, r.out());
        assertTrue(lines[0].endsWith("mlops.yaml has 2 problems:"));
        assertEquals("gate.metrics[1].min_relative_change: must be a number (line 6:24)", lines[1]);
        assertEquals("deploy.canary.stpes: unknown key; did you mean steps? (line 8:12)", lines[2]);

        JsonNode json = mlops("config", "validate", "mlops.yaml", "--json").json();
        assertEquals("mlops.config-validation/v1", json.get("schema").asText());
        assertEquals(false, json.get("valid").asBoolean());
        assertEquals("deploy.canary.stpes", json.get("problems").get(1).get("path").asText());
        assertEquals(2, mlops("config", "show").code());
    }

    @Test
    void validConfigValidatesAndShowsWithDefaults() throws IOException {
        Files.writeString(work.resolve("ml.yaml"), "model: churn\nlevel: 2\ntrain: {agent: gpu, command: python train.py}\n");
        Result r = mlops("config", "validate", "ml.yaml");
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("configures level 2 (claims level 2)"), r.out());
        Result show = mlops("config", "show", "ml.yaml");
        assertEquals(0, show.code(), show.err());
        JsonNode doc = show.json();
        assertEquals("mlops.config/v1", doc.get("schema").asText());
        assertEquals(false, doc.get("train").get("require_gpu").asBoolean());
        assertEquals(2, doc.get("level").asInt());
    }

    @Test
    void maturityPrintsLevelsAndWritesReports() throws IOException {
        Files.writeString(work.resolve("Jenkinsfile"), "@Library('mlops') _\nmlopsPipeline(config: 'mlops.yaml')\n");
        Files.writeString(work.resolve("mlops.yaml"), "model: churn\ntrain: {agent: gpu, command: python train.py}\n");
        Result r = mlops("maturity", ".", "--report-dir", "reports", "--json");
        assertEquals(0, r.code(), r.err());
        JsonNode doc = r.json();
        assertEquals("mlops.maturity/v1", doc.get("schema").asText());
        assertEquals(1, doc.get("level").asInt());
        assertEquals(4, doc.get("dimensions").size());
        assertEquals("technology", doc.get("dimensions").get(3).get("name").asText());
        assertEquals(2, doc.get("dimensions").get(3).get("level").asInt());
        assertTrue(doc.get("next").get("step").asText().contains("run the pipeline once"), doc.get("next").toString());
        assertTrue(Files.exists(work.resolve("reports/maturity.html")));
        assertTrue(Files.exists(work.resolve("reports/maturity.json")));
        Result text = mlops("maturity");
        assertTrue(text.out().contains("Level 1"), text.out());
        assertEquals(2, mlops("maturity", "no-such-dir").code());
    }
}
