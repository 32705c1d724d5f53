package dev.mlops.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mlops.error.InvalidInputException;
import dev.mlops.error.MlopsException;
import dev.mlops.error.NotFoundException;
import dev.mlops.lineage.BuildInfo;
import dev.mlops.lineage.DatasetFingerprint;
import dev.mlops.lineage.GitInfo;
import dev.mlops.lineage.Lineage;
import dev.mlops.registry.Registration;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunStoreTest {
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-05T14:22:33Z"), ZoneOffset.UTC);

    @TempDir
    Path root;

    RunRecord running(RunStore store, String reuseKey) {
        String id = store.newRunId();
        Lineage lineage = new Lineage(new GitInfo("abc123", "main", false, null),
                List.of(new DatasetFingerprint("data/train.csv", "f00d", 12, 2L)), BuildInfo.LOCAL, id, "tester", CLOCK.instant());
        return new RunRecord(RunRecord.SCHEMA, id, RunStatus.RUNNING, "command", "1", Map.of("command", "sh t.sh"),
                Map.of("lr", "0.1"), 42, null, Map.of(), List.of(), null, lineage, Map.of("src", "tree:1234"), null, null,
                store.outputDir(id).toString(), List.of(), reuseKey, CLOCK.instant(), null, null, List.of());
    }

    RunRecord succeed(RunStore store, RunRecord run) throws IOException {
        Files.writeString(store.outputDir(run.id()).resolve("model.bin"), "weights");
        TrainResult result = new TrainResult(RunStatus.SUCCEEDED, Map.of("accuracy", 0.93), List.of(new EpochMetrics(1, Map.of("loss", 0.3))),
                "onnx", 0, new ResourceUsage(1200, 900, 50_000_000), "process", Map.of(), null, List.of());
        RunRecord done = run.finish(result, RunStore.listFiles(store.outputDir(run.id())), CLOCK.instant().plusSeconds(2));
        store.save(done);
        return done;
    }

    @Test
    void recordsRoundTripThroughAtomicWrites() throws IOException {
        RunStore store = new RunStore(root, CLOCK);
        RunRecord run = store.create(running(store, "k1"));
        assertTrue(run.id().startsWith("20260105-142233-"), run.id());
        assertEquals(RunStatus.RUNNING, store.get(run.id()).status());

        RunRecord done = succeed(store, run);
        RunRecord read = store.get(run.id());
        assertEquals(done, read);
        assertEquals(RunStatus.SUCCEEDED, read.status());
        assertEquals("mlops.run/v1", read.schema());
        // printf 'weights' | sha256sum
        assertEquals(List.of(new RunFile("model.bin", 7, "9a129038d9a00aed0cf6a7ea059ca50a813449061ab87848cf1a13eafdf33b2c")), read.files());
        assertEquals(50_000_000, read.usage().peakRssBytes());
        try (Stream<Path> files = Files.list(store.runDir(run.id()))) {
            assertEquals(List.of("output", "run.json"), files.map(p -> p.getFileName().toString()).sorted().toList(),
                    "no temporary files are left behind");
        }
        assertEquals(List.of(read), store.list());
    }

    @Test
    void onlyIntactSucceededRunsAreReusable() throws IOException {
        RunStore store = new RunStore(root, CLOCK);
        RunRecord stillRunning = store.create(running(store, "same"));
        assertTrue(store.findReusable("same").isEmpty(), "a RUNNING run (perhaps killed) is never reused");

        RunRecord failed = store.create(running(store, "same"));
        store.save(failed.failed("boom", CLOCK.instant()));
        assertTrue(store.findReusable("same").isEmpty());

        RunRecord good = succeed(store, store.create(running(store, "same")));
        assertEquals(good.id(), store.findReusable("same").orElseThrow().id());
        assertTrue(store.findReusable("other").isEmpty());

        Files.writeString(store.outputDir(good.id()).resolve("model.bin"), "truncated");
        assertTrue(store.findReusable("same").isEmpty(), "a run whose files changed is not reused");
        assertEquals(RunStatus.RUNNING, store.get(stillRunning.id()).status());
    }

    @Test
    void unknownAndMalformedIdsAreClearErrors() {
        RunStore store = new RunStore(root, CLOCK);
        MlopsException missing = assertThrows(NotFoundException.class, () -> store.get("20260105-142233-abcdef"));
        assertTrue(missing.getMessage().startsWith("run: 20260105-142233-abcdef not found in " + root), missing.getMessage());
        MlopsException bad = assertThrows(InvalidInputException.class, () -> store.get("../etc"));
        assertTrue(bad.getMessage().startsWith("run: '../etc' is not a run id"), bad.getMessage());
    }

    @Test
    void storeLocationComesFromTheOptionThenTheEnvironment() {
        assertEquals(root.resolve(".mlops/runs"), RunStore.open(null, root, Map.of(), CLOCK).root());
        assertEquals(root.resolve("env-runs"), RunStore.open(null, root, Map.of("MLOPS_RUNS_DIR", "env-runs"), CLOCK).root());
        assertEquals(root.resolve("opt"), RunStore.open("opt", root, Map.of("MLOPS_RUNS_DIR", "env-runs"), CLOCK).root());
    }

    @Test
    void aSucceededRunMapsToARegistrationInput() throws IOException {
        RunStore store = new RunStore(root, CLOCK);
        RunRecord run = succeed(store, store.create(running(store, "k")));
        Registration.Input input = run.registrationInput("file:/reg", "churn", "staging", "weekly retrain", "desc", Map.of("team", "eu"));

        assertEquals("churn", input.model());
        assertEquals(List.of(store.outputDir(run.id()).toString()), input.paths());
        assertEquals("onnx", input.format());
        assertEquals(Map.of("accuracy", "0.93"), input.metrics());
        assertEquals(Map.of("lr", "0.1", "seed", "42"), input.params());
        assertEquals(Map.of("team", "eu", "trainer", "command 1"), input.tags());
        assertEquals(List.of("data/train.csv"), input.datasets());
        assertEquals(run.id(), input.runId());
        assertEquals("staging", input.alias());
        assertEquals(Map.of("accuracy", 0.93), Registration.parseMetrics(input.metrics()));

        RunRecord failed = store.create(running(store, "k"));
        MlopsException e = assertThrows(InvalidInputException.class, () -> failed.registrationInput(null, "churn", null, null, null, null));
        assertTrue(e.getMessage().startsWith("from-run: run " + failed.id() + " is RUNNING; only a SUCCEEDED run"), e.getMessage());
    }
}
