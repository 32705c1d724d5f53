package dev.mlops.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mlops.error.InvalidInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Training through the service in a real git repository (JGit), checking run records and step reuse. */
class TrainingServiceTest {
    @TempDir
    Path repo;
    Git git;
    RunStore store;
    TrainingService service;
    final List<String> messages = new ArrayList<>();
    final TrainingListener listener = new TrainingListener() {
        @Override
        public void message(String message) {
            messages.add(message);
        }
    };

    @BeforeEach
    void repository() throws IOException, GitAPIException {
        git = Git.init().setDirectory(repo.toFile()).setInitialBranch("main").call();
        write("src/train.sh", "echo v1 > \"$MLOPS_OUTPUT_DIR/model.txt\"\necho mlops-metric accuracy=0.9\n");
        write("src/util.sh", "# helpers\n");
        write("data/train.csv", "x,y\n1,0\n2,1\n");
        write("README.md", "docs\n");
        commit("initial");
        store = new RunStore(repo.resolve(".mlops/runs"), Clock.systemUTC());
        service = new TrainingService(store, Clock.systemUTC(), new GpuProbe("no-nvidia-smi-here"));
    }

    @AfterEach
    void close() {
        git.close();
    }

    void write(String path, String text) throws IOException {
        Path file = repo.resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }

    void commit(String message) throws GitAPIException {
        git.add().addFilepattern(".").call();
        git.commit().setMessage(message).setAuthor("Test", "test@example.com").setCommitter("Test", "test@example.com")
                .setSign(false).call();
    }

    TrainingOutcome train(Map<String, String> params, List<String> codePaths, boolean force) {
        TrainRequest request = TrainRequest.builder().setWorkingDir(repo).optDataset(Path.of("data/train.csv")).optParams(params)
                .optCodePaths(codePaths).optForce(force).optEnv(Map.of("JENKINS_URL", "https://ci", "BUILD_URL", "https://ci/job/t/7/",
                        "JOB_NAME", "t", "BUILD_NUMBER", "7", "NODE_NAME", "gpu-1")).build();
        return service.train(new CommandTrainer("sh src/train.sh"), request, listener);
    }

    TrainingOutcome train() {
        return train(Map.of("lr", "0.1"), List.of("src"), false);
    }

    @Test
    void recordsASucceededRunWithLineageEnvironmentAndFiles() throws IOException {
        TrainingOutcome outcome = train();
        RunRecord run = outcome.run();

        assertFalse(outcome.reused());
        assertEquals(RunStatus.SUCCEEDED, run.status());
        assertEquals(run, store.get(run.id()));
        assertEquals(Map.of("accuracy", 0.9), run.metrics());
        assertEquals("command", run.trainer());
        assertEquals(Map.of("command", "sh src/train.sh"), run.trainerConfig());
        assertEquals(List.of("model.txt"), run.files().stream().map(RunFile::path).toList());
        assertEquals(store.outputDir(run.id()).toString(), run.outputDir());
        assertEquals(git.getRepository().resolve("HEAD").name(), run.lineage().git().commit());
        assertEquals("data/train.csv", run.lineage().datasets().get(0).path());
        assertEquals(2L, run.lineage().datasets().get(0).rows());
        assertEquals("jenkins", run.lineage().build().system());
        assertEquals(run.id(), run.lineage().runId());
        assertEquals("gpu-1", run.environment().agent());
        assertTrue(run.environment().gpus().isEmpty(), "nvidia-smi is absent");
        assertTrue(run.environment().cpuCores() >= 1);
        assertTrue(run.code().get("src").startsWith("tree:"), run.code().toString());
        assertEquals(64, run.reuseKey().length());
        assertNotNull(run.finishedAt());
        assertTrue(messages.get(0).startsWith("run " + run.id() + " started (command), recorded in "), messages.toString());
        assertEquals(Boolean.FALSE, outcome.document().get("reused"));
        assertEquals("mlops.run/v1", outcome.document().get("schema"));
    }

    @Test
    void identicalInputsReuseTheEarlierRun() {
        RunRecord first = train().run();
        messages.clear();
        TrainingOutcome again = train();

        assertTrue(again.reused());
        assertEquals(first.id(), again.run().id());
        assertEquals(List.of("reusing run " + first.id() + " (same code, data, params); pass --force to train again"), messages);
        assertEquals(1, store.list().size());

        TrainingOutcome forced = train(Map.of("lr", "0.1"), List.of("src"), true);
        assertFalse(forced.reused());
        assertNotEquals(first.id(), forced.run().id());
        assertEquals(first.reuseKey(), forced.run().reuseKey());
    }

    @Test
    void paramAndDataChangesTrainAgain() throws IOException {
        RunRecord first = train().run();
        RunRecord otherParam = train(Map.of("lr", "0.2"), List.of("src"), false).run();
        assertNotEquals(first.id(), otherParam.id());
        assertEquals(first.id(), train().run().id(), "back to the first params reuses the first run");

        write("data/train.csv", "x,y\n1,0\n2,1\n3,1\n");
        RunRecord newData = train().run();
        assertNotEquals(first.id(), newData.id());
        assertNotEquals(first.lineage().datasets().get(0).sha256(), newData.lineage().datasets().get(0).sha256());
    }

    @Test
    void committedAndUncommittedCodeChangesTrainAgain() throws IOException, GitAPIException {
        RunRecord first = train().run();

        write("src/train.sh", "echo v2 > \"$MLOPS_OUTPUT_DIR/model.txt\"\n");
        RunRecord dirty = train().run();
        assertNotEquals(first.id(), dirty.id(), "an uncommitted edit is new code");
        assertTrue(dirty.code().get("src").contains(" dirty:"), dirty.code().toString());
        assertEquals(first.code().get("src"), dirty.code().get("src").substring(0, dirty.code().get("src").indexOf(' ')),
                "the tree id at HEAD is unchanged");

        write("src/train.sh", "echo v3 > \"$MLOPS_OUTPUT_DIR/model.txt\"\n");
        RunRecord otherDirty = train().run();
        assertNotEquals(dirty.id(), otherDirty.id(), "a different uncommitted edit is different code");

        write("src/train.sh", "echo v2 > \"$MLOPS_OUTPUT_DIR/model.txt\"\n");
        assertEquals(dirty.id(), train().run().id(), "the same uncommitted edit again is reused");

        commit("v2");
        RunRecord committed = train().run();
        assertNotEquals(dirty.id(), committed.id());
        assertFalse(committed.code().get("src").contains("dirty"));
        assertNotEquals(first.code().get("src"), committed.code().get("src"));
        assertEquals(committed.id(), train().run().id());

        write("src/new_helper.sh", "# untracked\n");
        assertNotEquals(committed.id(), train().run().id(), "an untracked file under a code path counts");
    }

    @Test
    void changesOutsideTheCodePathsDoNotPreventReuse() throws IOException, GitAPIException {
        RunRecord first = train().run();
        write("README.md", "more docs\n");
        assertEquals(first.id(), train().run().id());
        commit("docs");
        assertEquals(first.id(), train().run().id());
    }

    @Test
    void theWholeRepositoryIsTheDefaultCodeOfACommandAndTheRunStoreIsIgnored() throws IOException {
        RunRecord first = train(Map.of(), List.of(), false).run();
        assertTrue(first.code().containsKey("."), first.code().toString());
        assertEquals(first.id(), train(Map.of(), List.of(), false).run().id(), "the new run folder is not a code change");

        write("README.md", "changed\n");
        assertNotEquals(first.id(), train(Map.of(), List.of(), false).run().id());
    }

    @Test
    void aRunLeftRunningIsNotReused() {
        RunRecord first = train().run();
        store.save(new RunRecord(first.schema(), first.id(), RunStatus.RUNNING, first.trainer(), first.trainerVersion(),
                first.trainerConfig(), first.params(), first.seed(), first.format(), Map.of(), List.of(), first.environment(),
                first.lineage(), first.code(), null, null, first.outputDir(), first.files(), first.reuseKey(), first.startedAt(),
                null, null, List.of()));
        TrainingOutcome next = train();
        assertFalse(next.reused());
        assertNotEquals(first.id(), next.run().id());
    }

    @Test
    void theRecordSaysRunningWhileTrainingAndFailedWhenTheTrainerThrows() {
        List<RunStatus> seen = new ArrayList<>();
        Trainer crashing = new Trainer() {
            @Override
            public String id() {
                return "crashing";
            }

            @Override
            public String version() {
                return "0";
            }

            @Override
            public TrainResult train(TrainRequest request, Path outputDir, TrainingListener ignored) {
                String id = outputDir.getParent().getFileName().toString();
                seen.add(store.get(id).status());
                throw new IllegalStateException("out of memory");
            }

            @Override
            public void cancel() {
            }
        };
        TrainRequest request = TrainRequest.builder().setWorkingDir(repo).optDataset(Path.of("data/train.csv")).build();
        assertThrows(IllegalStateException.class, () -> service.train(crashing, request, listener));

        assertEquals(List.of(RunStatus.RUNNING), seen);
        RunRecord recorded = store.list().get(0);
        assertEquals(RunStatus.FAILED, recorded.status());
        assertEquals("IllegalStateException: out of memory", recorded.error());
    }

    @Test
    void aFailedCommandIsRecordedAndNeverReused() throws IOException {
        write("src/train.sh", "echo broken >&2\nexit 2\n");
        RunRecord failed = train().run();
        assertEquals(RunStatus.FAILED, failed.status());
        assertEquals(2, failed.exitCode());
        assertEquals(RunStatus.FAILED, store.get(failed.id()).status());
        assertNotEquals(failed.id(), train().run().id());
    }

    @Test
    void anInterruptedRunIsRecordedAsCancelled() throws Exception {
        write("src/train.sh", "echo started\nsleep 300\n");
        CountDownLatch started = new CountDownLatch(1);
        TrainingListener onStart = new TrainingListener() {
            @Override
            public void output(String stream, String line) {
                started.countDown();
            }
        };
        TrainRequest request = TrainRequest.builder().setWorkingDir(repo).optDataset(Path.of("data/train.csv")).build();
        AtomicReference<TrainingOutcome> outcome = new AtomicReference<>();
        Thread training = new Thread(() -> outcome.set(service.train(new CommandTrainer("sh src/train.sh"), request, onStart)));
        training.start();
        assertTrue(started.await(20, TimeUnit.SECONDS));
        training.interrupt();
        training.join(20_000);

        assertEquals(RunStatus.CANCELLED, outcome.get().run().status());
        assertEquals(RunStatus.CANCELLED, store.get(outcome.get().run().id()).status(), "run.json is written despite the interrupt");
    }

    @Test
    void missingDataIsRejectedBeforeAnythingIsRecorded() {
        TrainRequest request = TrainRequest.builder().setWorkingDir(repo).optDataset(Path.of("data/missing.csv")).build();
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> service.train(new CommandTrainer("true"), request, listener));
        assertTrue(e.getMessage().startsWith("data: data/missing.csv is not a readable file"), e.getMessage());
        assertTrue(store.list().isEmpty());
    }
}
