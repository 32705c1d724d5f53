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
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** train → evaluate against production → register --from-run, through the CLI, with real DJL training. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EvaluateCommandTest {
    @TempDir
    static Path work;
    String weakRun;
    String strongRun;

    record Result(int code, String out, String err) {
        JsonNode json() throws IOException {
            return Json.mapper().readTree(out);
        }
    }

    Result mlops(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(new Context(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                Map.of("MLOPS_ACTOR", "tester"), work, Clock.systemUTC()), args);
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @BeforeAll
    void trainTwoModels() throws IOException {
        DemoCommand.writeDataset(work.resolve("train.csv"), 2000, 1);
        DemoCommand.writeDataset(work.resolve("holdout.csv"), 1500, 2);
        Result weak = mlops("train", "--data", "train.csv", "--label", "churned", "--features", "tenure,monthly_charges,support_calls,age",
                "--param", "hidden=2", "--param", "epochs=2", "--json");
        assertEquals(0, weak.code(), weak.err());
        weakRun = weak.json().get("id").asText();
        Result strong = mlops("train", "--data", "train.csv", "--label", "churned", "--features", "tenure,monthly_charges,support_calls,age",
                "--param", "hidden=32,16", "--param", "epochs=20", "--json");
        assertEquals(0, strong.code(), strong.err());
        strongRun = strong.json().get("id").asText();
    }

    @Test
    void gatesTheCandidateAgainstProductionOnTheSameHoldout() throws IOException {
        Result first = mlops("evaluate", "--model", "churn", "--candidate", "run:" + strongRun, "--holdout", "holdout.csv",
                "--slice", "region", "--report-dir", "r1", "--json");
        assertEquals(0, first.code(), first.err());
        assertEquals("mlops.evaluation-summary/v1", first.json().get("schema").asText());
        assertTrue(first.json().get("firstModel").asBoolean());
        assertTrue(first.json().get("reason").asText().contains("first model"), first.out());
        assertTrue(Files.isRegularFile(work.resolve("r1/evaluation.html")));
        assertTrue(Files.readString(work.resolve("r1/evaluation.json")).contains("\"schema\":\"mlops.evaluation/v1\"")
                || Files.readString(work.resolve("r1/evaluation.json")).contains("\"schema\" : \"mlops.evaluation/v1\""));

        Result registered = mlops("register", "--model", "churn", "--from-run", strongRun, "--alias", "production", "--json");
        assertEquals(0, registered.code(), registered.err());
        assertEquals(strongRun, registered.json().get("lineage").get("runId").asText());
        assertTrue(registered.json().get("files").size() >= 2, registered.out());

        Result worse = mlops("evaluate", "--model", "churn", "--candidate", "run:" + weakRun, "--holdout", "holdout.csv", "--report-dir", "r2");
        assertEquals(5, worse.code(), worse.out() + worse.err());
        assertTrue(worse.out().contains("churn:1 (@production)"), worse.out());
        assertTrue(worse.out().contains("Verdict: FAIL"), worse.out());

        assertEquals(0, mlops("evaluate", "--model", "churn", "--candidate", "run:" + weakRun, "--holdout", "holdout.csv",
                "--report-dir", "r3", "--no-fail").code());
        assertEquals(0, mlops("evaluate", "--candidate", "run:" + weakRun, "--baseline", "none", "--holdout", "holdout.csv",
                "--report-dir", "r4").code(), "an explicit first-model evaluation passes by the default policy");
    }

    @Test
    void badInputNamesTheFileAndColumn() throws IOException {
        Files.writeString(work.resolve("broken.csv"), "tenure,monthly_charges,age,churned\n1,2,3,0\n");
        Result missingColumn = mlops("evaluate", "--model", "other", "--candidate", "run:" + weakRun, "--holdout", "broken.csv");
        assertEquals(2, missingColumn.code(), missingColumn.err());
        assertTrue(missingColumn.err().contains("support_calls"), missingColumn.err());
        Result noRun = mlops("evaluate", "--model", "other", "--candidate", "run:does-not-exist", "--holdout", "holdout.csv");
        assertTrue(noRun.code() == 3 || noRun.code() == 2, noRun.err());
        Result fromFailedArgs = mlops("register", "--model", "x", "--from-run", weakRun, "--path", "train.csv");
        assertEquals(2, fromFailedArgs.code());
        assertTrue(fromFailedArgs.err().contains("--path"), fromFailedArgs.err());
    }
}
