package dev.mlops.jenkins.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.mlops.jenkins.support.TestBuild.LogListener;
import dev.mlops.jenkins.support.TestBuild.TestJob;
import dev.mlops.jenkins.support.TestBuild.TestRun;
import dev.mlops.jenkins.support.TestStepContext;
import dev.mlops.json.Json;
import dev.mlops.train.GpuProbe;
import hudson.AbortException;
import hudson.EnvVars;
import hudson.FilePath;
import hudson.Launcher;
import hudson.model.Result;
import hudson.model.Run;
import hudson.model.TaskListener;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.jenkinsci.plugins.workflow.steps.FlowInterruptedException;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * Drives the real step execution over a test StepContext: a real temp-folder workspace (local
 * FilePath), a real local Launcher, a stub Run and an in-memory build log; the training is real
 * (a shell script through the command trainer, or the built-in DJL trainer).
 */
@EnabledOnOs({OS.LINUX, OS.MAC})
class MlopsTrainStepTest {
    private static final String AGENT = "gpu-agent-7";
    private static final String TRAIN_SCRIPT = """
            echo "training with params $MLOPS_PARAMS seed $MLOPS_SEED"
            for e in 1 2 3; do echo "mlops-metric epoch=$e loss=0.$((9 - e)) val_auc=0.8$e"; done
            printf 'weights' > "$MLOPS_OUTPUT_DIR/model.bin"
            printf '{"auc": 0.91, "f1": 0.84}' > "$MLOPS_OUTPUT_DIR/metrics.json"
            """;

    @TempDir
    Path tmp;

    private Path workspace;
    private EnvVars env;
    private TestRun run;
    private LogListener listener;

    @BeforeEach
    void setUp() throws Exception {
        workspace = Files.createDirectories(tmp.resolve("ws"));
        env = new EnvVars(
                "NODE_NAME", AGENT,
                "BUILD_URL", "https://ci.example.com/job/train/7/",
                "JOB_NAME", "train",
                "BUILD_NUMBER", "7");
        run = new TestRun(new TestJob("train"));
        listener = new LogListener();
        Files.writeString(workspace.resolve("train.sh"), TRAIN_SCRIPT);
        Files.writeString(workspace.resolve("train.csv"), "x,y\n1,0\n2,1\n");
    }

    private TestStepContext context() {
        return new TestStepContext()
                .with(FilePath.class, new FilePath(workspace.toFile()))
                .with(Launcher.class, new Launcher.LocalLauncher(listener))
                .with(EnvVars.class, env)
                .with(TaskListener.class, listener)
                .with(Run.class, run);
    }

    /** Binds the arguments as Pipeline would, through the descriptor. */
    private static MlopsTrainStep step(Map<String, Object> args) throws Exception {
        return (MlopsTrainStep) new MlopsTrainStep.DescriptorImpl().newInstance(args);
    }

    private TestStepContext start(MlopsTrainStep step) throws Exception {
        TestStepContext context = context();
        new MlopsTrainStep.DescriptorImpl().checkContextAvailability(context);
        boolean synchronous = step.start(context).start();
        assertFalse(synchronous, "a SynchronousNonBlockingStepExecution reports through the context");
        assertTrue(context.isCompleted(), "the step neither succeeded nor failed");
        return context;
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> train(Map<String, Object> args) throws Exception {
        TestStepContext context = start(step(args));
        if (context.failure() != null) {
            fail("step failed: " + context.failure() + "\n" + listener.log());
        }
        return (Map<String, Object>) context.success();
    }

    private AbortException trainFailing(MlopsTrainStep step) throws Exception {
        TestStepContext context = start(step);
        assertNull(context.success());
        return assertInstanceOf(AbortException.class, context.failure());
    }

    private static Map<String, Object> command(String command) {
        Map<String, Object> args = new HashMap<>();
        args.put("data", List.of("train.csv"));
        args.put("trainer", "command");
        args.put("command", command);
        return args;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> child(Map<String, Object> map, String key) {
        return (Map<String, Object>) map.get(key);
    }

    private List<Path> runDirs() throws IOException {
        Path runs = workspace.resolve(".mlops/runs");
        if (!Files.isDirectory(runs)) {
            return List.of();
        }
        try (Stream<Path> list = Files.list(runs)) {
            return list.filter(Files::isDirectory).toList();
        }
    }

    /** A fake nvidia-smi that lists one GPU, or none (exit 9). */
    private String fakeNvidiaSmi(boolean withGpu) throws IOException {
        Path exe = tmp.resolve(withGpu ? "nvidia-smi-one" : "nvidia-smi-none");
        Files.writeString(exe, withGpu ? "#!/bin/sh\necho 'NVIDIA H100 80GB HBM3, 550.54.15'\n" : "#!/bin/sh\nexit 9\n");
        assertTrue(exe.toFile().setExecutable(true));
        return exe.toString();
    }

    @Test
    void commandTrainerRecordsTheRunWithMetricsAndAttachesIt() throws Exception {
        Map<String, Object> args = command("sh train.sh");
        args.put("params", Map.of("epochs", 3, "lr", 0.1));
        args.put("seed", 7);
        Map<String, Object> doc = train(args);

        assertEquals("mlops.run/v1", doc.get("schema"));
        assertEquals("SUCCEEDED", doc.get("status"));
        assertEquals(Boolean.FALSE, doc.get("reused"));
        assertEquals("command", doc.get("trainer"));
        assertEquals(7, ((Number) doc.get("seed")).intValue());
        assertEquals(Map.of("epochs", "3", "lr", "0.1"), doc.get("params"));
        assertEquals(0.91, ((Number) child(doc, "metrics").get("auc")).doubleValue());
        assertEquals(3, ((List<?>) doc.get("epochs")).size());
        String id = (String) doc.get("id");
        Path output = Path.of((String) doc.get("outputDir"));
        assertEquals(workspace.resolve(".mlops/runs").resolve(id).resolve("output").toRealPath(), output.toRealPath());
        assertEquals("weights", Files.readString(output.resolve("model.bin")));
        assertEquals(AGENT, child(doc, "environment").get("agent"));
        assertEquals("https://ci.example.com/job/train/7/", child(child(doc, "lineage"), "build").get("url"));

        String log = listener.log();
        assertTrue(log.contains("training with params {\"epochs\":\"3\",\"lr\":\"0.1\"} seed 7"), log);
        assertTrue(log.contains("epoch 2/3 loss=0.700 val_auc=0.820"), log);
        assertTrue(log.contains("mlopsTrain: run " + id + " succeeded"), log);

        TrainingRunAction action = run.getAction(TrainingRunAction.class);
        assertEquals(id, action.getId());
        assertEquals("mlops-run-" + id, action.getUrlName());
        assertSame(run, action.getRun(), "onAttached must set the run");
        assertEquals(List.of("loss", "val_auc"), action.getEpochColumns());
        assertEquals(List.of("0.7000", "0.8200"), action.getEpochs().get(1).getValues());
        assertEquals("sh train.sh", action.getCommand());
        assertEquals(AGENT, action.getAgent());
        assertEquals(List.of("metrics.json", "model.bin"), action.getFiles().stream().map(TrainingRunAction.FileEntry::getPath).toList());
        assertNull(run.getResult(), "a successful training leaves the build result alone");
    }

    @Test
    void anIdenticalSecondCallReusesTheRunAndForceTrainsAgain() throws Exception {
        Map<String, Object> first = train(command("sh train.sh"));
        Map<String, Object> second = train(command("sh train.sh"));

        assertEquals(first.get("id"), second.get("id"));
        assertEquals(Boolean.TRUE, second.get("reused"));
        assertTrue(listener.log().contains("reusing run " + first.get("id")), listener.log());
        assertEquals(1, runDirs().size(), "nothing was trained the second time");
        assertEquals(1, run.getActions(TrainingRunAction.class).size(), "one action per run id");

        Map<String, Object> forced = command("sh train.sh");
        forced.put("force", true);
        Map<String, Object> third = train(forced);
        assertNotEquals(first.get("id"), third.get("id"));
        assertEquals(Boolean.FALSE, third.get("reused"));
        assertEquals(2, runDirs().size());
        assertEquals(2, run.getActions(TrainingRunAction.class).size());
    }

    @Test
    void aReusedRunIsShownAsReused() throws Exception {
        train(command("sh train.sh"));
        TestRun nextBuild = new TestRun(new TestJob("train"));
        run = nextBuild;

        train(command("sh train.sh"));

        TrainingRunAction action = nextBuild.getAction(TrainingRunAction.class);
        assertTrue(action.isReused());
        assertEquals("https://ci.example.com/job/train/7/", action.getTrainedByBuildLink());
    }

    @Test
    void requireGpuWithoutAGpuFailsNamingTheAgentAndTheFixBeforeRecordingAnything() throws Exception {
        assumeTrue(new GpuProbe().djlGpuCount() == 0, "this machine has a CUDA GPU that DJL sees");
        MlopsTrainStep step = step(Map.of("data", List.of("train.csv"), "trainer", "command", "command", "sh train.sh",
                "requireGpu", true));
        step.setNvidiaSmiForTests(fakeNvidiaSmi(false));

        AbortException e = trainFailing(step);

        assertTrue(e.getMessage().startsWith("mlopsTrain: requireGpu: no GPU visible on agent '" + AGENT + "'"), e.getMessage());
        assertTrue(e.getMessage().contains("node('gpu')"), e.getMessage());
        assertTrue(runDirs().isEmpty(), "nothing is recorded");
        assertTrue(run.getActions(TrainingRunAction.class).isEmpty());
    }

    @Test
    void requireGpuOnAMachineWithoutGpuAndWithoutNodeNameStillSaysWhereItRan() throws Exception {
        assumeTrue(new GpuProbe().djlGpuCount() == 0, "this machine has a CUDA GPU that DJL sees");
        env.remove("NODE_NAME");
        MlopsTrainStep step = step(Map.of("data", List.of("train.csv"), "requireGpu", true));
        step.setNvidiaSmiForTests(fakeNvidiaSmi(false));

        AbortException e = trainFailing(step);

        assertTrue(e.getMessage().contains("this agent (NODE_NAME is not set), host "), e.getMessage());
    }

    @Test
    void requireGpuWithAVisibleGpuTrainsAndRecordsTheGpu() throws Exception {
        Map<String, Object> args = command("sh train.sh");
        args.put("requireGpu", true);
        args.put("gpus", "0");
        MlopsTrainStep step = step(args);
        step.setNvidiaSmiForTests(fakeNvidiaSmi(true));

        TestStepContext context = start(step);

        assertNull(context.failure(), String.valueOf(context.failure()));
        TrainingRunAction action = run.getAction(TrainingRunAction.class);
        assertEquals(List.of("NVIDIA H100 80GB HBM3 (driver 550.54.15)"), action.getGpus());
    }

    @Test
    void gpusBecomeCudaVisibleDevicesOfTheCommand() throws Exception {
        Files.writeString(workspace.resolve("cuda.sh"), TRAIN_SCRIPT + "echo \"cuda=$CUDA_VISIBLE_DEVICES\"\n");
        Map<String, Object> args = command("sh cuda.sh");
        args.put("gpus", "1,3");

        train(args);

        assertTrue(listener.log().contains("cuda=1,3"), listener.log());
    }

    @Test
    void stopKillsTheTrainingCommandAndItsChildProcessesAndRecordsTheRunCancelled() throws Exception {
        Files.writeString(workspace.resolve("long.sh"), """
                sleep 30 &
                echo "child=$!"
                echo "shell=$$"
                sleep 30
                """);
        TestStepContext context = context();
        StepExecution execution = step(command("sh long.sh")).start(context);
        Thread pipelineThread = new Thread(() -> {
            try {
                execution.start();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, "test-step");
        pipelineThread.start();

        List<Long> pids = awaitPids(Pattern.compile("(child|shell)=(\\d+)"), 2);
        pids.forEach(pid -> assertTrue(isRunning(pid), pid + " runs before stop"));

        long start = System.nanoTime();
        FlowInterruptedException abort = new FlowInterruptedException(Result.ABORTED);
        execution.stop(abort);
        pipelineThread.join(TimeUnit.SECONDS.toMillis(30));

        assertFalse(pipelineThread.isAlive(), "the step ended");
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(20), "stopped well before sleep 30 ended");
        assertSame(abort, context.failure(), "the step fails with the stop cause");
        assertEquals(0, context.laterCompletions(), "the cancelled training is not reported a second time");
        assertTrue(abort.getSuppressed().length == 1 && abort.getSuppressed()[0].getMessage().contains("was cancelled"),
                List.of(abort.getSuppressed()).toString());
        for (long pid : pids) {
            assertFalse(isRunning(pid), "process " + pid + " was killed");
        }
        Path record = runDirs().get(0).resolve("run.json");
        assertEquals("CANCELLED", Json.mapper().readTree(record.toFile()).get("status").asText());
        TrainingRunAction action = run.getAction(TrainingRunAction.class);
        assertEquals("CANCELLED", action.getStatus());
        assertFalse(Thread.currentThread().isInterrupted());
    }

    private List<Long> awaitPids(Pattern pattern, int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            List<Long> pids = new ArrayList<>();
            Matcher m = pattern.matcher(listener.log());
            while (m.find()) {
                pids.add(Long.parseLong(m.group(2)));
            }
            if (pids.size() >= count) {
                return pids;
            }
            Thread.sleep(20);
        }
        fail("the training did not start: " + listener.log());
        return List.of();
    }

    /** Alive and not a zombie (a killed child nobody reaped yet), from /proc where there is one. */
    private static boolean isRunning(long pid) {
        Path stat = Path.of("/proc", Long.toString(pid), "stat");
        if (!Files.isDirectory(Path.of("/proc/self"))) {
            return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
        }
        try {
            String text = Files.readString(stat, StandardCharsets.US_ASCII);
            String state = text.substring(text.lastIndexOf(')') + 2).trim().split(" ")[0];
            return !state.equals("Z") && !state.equals("X");
        } catch (IOException e) {
            return false;
        }
    }

    @Test
    void aFailingCommandFailsTheStepWithItsExitCodeAndStillAttachesTheRun() throws Exception {
        Files.writeString(workspace.resolve("broken.sh"), "echo 'Traceback: bad feature' >&2\nexit 3\n");

        AbortException e = trainFailing(step(command("sh broken.sh")));

        assertTrue(e.getMessage().matches("mlopsTrain: run \\S+ FAILED: training command exited with code 3; .*"), e.getMessage());
        TrainingRunAction action = run.getAction(TrainingRunAction.class);
        assertEquals("FAILED", action.getStatus());
        assertEquals(3, action.getExitCode());
        assertTrue(action.getError().contains("Traceback: bad feature"), action.getError());
        assertTrue(listener.log().contains("Traceback: bad feature"), listener.log());
    }

    @Test
    void builtInDjlMlpTrainsOnATinyCsvWithProgressPerEpoch() throws Exception {
        writeChurnCsv(workspace.resolve("data/churn.csv"), 240);
        Map<String, Object> doc = train(Map.of("data", List.of("data/churn.csv"), "label", "churned",
                "features", List.of("age", "income", "visits"),
                "params", Map.of("epochs", 3, "hidden", "8", "batch_size", 32)));

        assertEquals("SUCCEEDED", doc.get("status"));
        assertEquals("djl-mlp", doc.get("trainer"));
        assertEquals("djl-mlp", doc.get("format"));
        assertEquals(Map.of("epochs", "3", "hidden", "8", "batch_size", "32", "label", "churned",
                "features", "age,income,visits"), doc.get("params"));
        assertTrue(child(doc, "metrics").containsKey("val_accuracy"), String.valueOf(doc.get("metrics")));
        String log = listener.log();
        assertTrue(log.contains("epoch 1/3 loss="), log);
        assertTrue(log.contains("epoch 3/3 loss="), log);

        TrainingRunAction action = run.getAction(TrainingRunAction.class);
        assertEquals(3, action.getEpochs().size());
        assertTrue(action.getEpochColumns().containsAll(List.of("loss", "val_loss", "val_accuracy")), action.getEpochColumns().toString());
        assertEquals("cpu", action.getTrainerEnvironment().get("pytorch.flavor"));
    }

    @Test
    void anUnknownDjlParameterFailsInOneLineNamingIt() throws Exception {
        writeChurnCsv(workspace.resolve("churn.csv"), 20);
        AbortException e = trainFailing(step(Map.of("data", List.of("churn.csv"), "params", Map.of("epoch", 3))));

        assertTrue(e.getMessage().startsWith("mlopsTrain: params.epoch: unknown parameter of djl-mlp"), e.getMessage());
        assertTrue(runDirs().isEmpty());
    }

    @Test
    void labelGivenTwiceIsRejected() throws Exception {
        AbortException e = trainFailing(step(Map.of("data", List.of("train.csv"), "label", "y",
                "params", Map.of("label", "x"))));

        assertEquals("mlopsTrain: label: also given as params.label; give it once", e.getMessage());
    }

    @Test
    void missingDataFileFailsNamingIt() throws Exception {
        AbortException e = trainFailing(step(Map.of("data", List.of("nope.csv"))));

        assertTrue(e.getMessage().startsWith("mlopsTrain: data: nope.csv is not a readable file"), e.getMessage());
    }

    @Test
    void secretsInTheTrainingOutputAreMaskedInTheLog() throws Exception {
        String secret = "AccountKey=c2VjcmV0LWtleS1mb3ItdGVzdHM=";
        env.put("AZURE_STORAGE_CONNECTION_STRING", secret);
        Files.writeString(workspace.resolve("leak.sh"), TRAIN_SCRIPT + "echo \"conn=$AZURE_STORAGE_CONNECTION_STRING\"\n");

        train(command("sh leak.sh"));

        assertFalse(listener.log().contains(secret), listener.log());
        assertTrue(listener.log().contains("conn=****"), listener.log());
    }

    static void writeChurnCsv(Path file, int rows) throws IOException {
        Random random = new Random(3);
        StringBuilder csv = new StringBuilder("age,income,visits,churned\n");
        for (int r = 0; r < rows; r++) {
            double a = random.nextGaussian();
            double b = random.nextGaussian();
            double c = random.nextGaussian();
            csv.append(String.format(Locale.ROOT, "%.3f,%.1f,%.3f,%s%n", 40 + 10 * a, 50000 + 9000 * b, 3 + c,
                    1.5 * a - b + 0.3 * c > 0 ? "yes" : "no"));
        }
        Files.createDirectories(file.getParent());
        Files.writeString(file, csv);
    }
}
