package dev.mlops.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.json.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class CommandTrainerTest {
    @TempDir
    Path work;

    /** Collects everything the trainer reports. */
    static final class Recorder implements TrainingListener {
        final List<String> lines = Collections.synchronizedList(new ArrayList<>());
        final List<String> streams = Collections.synchronizedList(new ArrayList<>());
        final List<TrainingProgress> progress = Collections.synchronizedList(new ArrayList<>());
        final List<String> messages = Collections.synchronizedList(new ArrayList<>());

        @Override
        public void output(String stream, String line) {
            lines.add(line);
            streams.add(stream);
        }

        @Override
        public void progress(TrainingProgress update) {
            progress.add(update);
        }

        @Override
        public void message(String message) {
            messages.add(message);
        }
    }

    TrainRequest request(Map<String, String> params, long seed, String cuda) {
        return TrainRequest.builder().setWorkingDir(work).optParams(params).optSeed(seed).optCudaVisibleDevices(cuda)
                .optEnv(Map.of("TEAM_VAR", "from-request")).build();
    }

    Path script(String name, String body) throws IOException {
        return Files.writeString(work.resolve(name), "#!/bin/sh\n" + body);
    }

    @Test
    void collectsMetricsFromLinesAndMetricsJsonAndPassesTheEnvironment() throws IOException {
        script("train.sh", """
                echo "training with seed $MLOPS_SEED"
                echo "a warning" >&2
                echo "mlops-metric loss=0.9 accuracy=0.5"
                echo "mlops-metric loss=0.4"
                echo "mlops-metric f1=high"
                printf '%s\\n' "$MLOPS_PARAMS" > "$MLOPS_OUTPUT_DIR/params.json"
                echo "$CUDA_VISIBLE_DEVICES|$TEAM_VAR|$PWD" > "$MLOPS_OUTPUT_DIR/env.txt"
                echo weights > "$MLOPS_OUTPUT_DIR/model.bin"
                echo '{"accuracy": 0.91, "auc": "0.8", "note": "n/a"}' > "$MLOPS_OUTPUT_DIR/metrics.json"
                """);
        Path out = work.resolve("out");
        Recorder recorder = new Recorder();
        TrainResult result = new CommandTrainer("sh train.sh").train(request(Map.of("lr", "0.1", "depth", "3"), 7, "1"), out, recorder);

        assertEquals(RunStatus.SUCCEEDED, result.status(), result.error());
        assertEquals(0, result.exitCode());
        assertEquals(Map.of("loss", 0.4, "accuracy", 0.91, "auc", 0.8), result.metrics());
        assertTrue(recorder.lines.contains("training with seed 7"), recorder.lines.toString());
        assertEquals("stderr", recorder.streams.get(recorder.lines.indexOf("a warning")));
        assertTrue(result.warnings().stream().anyMatch(w -> w.contains("f1='high' is not a finite number")), result.warnings().toString());
        assertTrue(result.warnings().stream().anyMatch(w -> w.startsWith("metrics.json: note is \"n/a\"")), result.warnings().toString());
        assertTrue(recorder.messages.stream().anyMatch(m -> m.startsWith("warning: output: metric f1")), recorder.messages.toString());

        JsonNode params = Json.mapper().readTree(Files.readString(out.resolve("params.json")));
        assertEquals("0.1", params.get("lr").asText());
        assertEquals("3", params.get("depth").asText());
        assertEquals("1|from-request|" + work.toRealPath(), Files.readString(out.resolve("env.txt")).trim());
        assertTrue(result.usage().wallMillis() >= 0);
        assertEquals("process", result.device());
    }

    @Test
    void streamsOutputWhileTheCommandStillRuns() throws Exception {
        Path go = work.resolve("go");
        script("wait.sh", "echo started\nwhile [ ! -f go ]; do sleep 0.05; done\necho finished\n");
        CountDownLatch started = new CountDownLatch(1);
        TrainingListener listener = new TrainingListener() {
            @Override
            public void output(String stream, String line) {
                if (line.equals("started")) {
                    started.countDown();
                }
            }
        };
        CommandTrainer trainer = new CommandTrainer("sh wait.sh");
        CompletableFuture<TrainResult> running = CompletableFuture.supplyAsync(() -> trainer.train(request(Map.of(), 1, null),
                work.resolve("out"), listener));
        assertTrue(started.await(20, TimeUnit.SECONDS), "the first line arrives before the command ends");
        assertFalse(running.isDone());
        Files.writeString(go, "");
        assertEquals(RunStatus.SUCCEEDED, running.get(20, TimeUnit.SECONDS).status());
    }

    @Test
    void epochLinesBecomeProgressAndPerEpochMetrics() throws IOException {
        script("epochs.sh", "for e in 1 2 3; do echo \"mlops-metric epoch=$e loss=0.$((9 - e))\"; done\n");
        Recorder recorder = new Recorder();
        TrainResult result = new CommandTrainer("sh epochs.sh").train(request(Map.of("epochs", "3"), 1, null), work.resolve("out"), recorder);

        assertEquals(3, result.epochs().size());
        assertEquals(0.7, result.epochs().get(1).metrics().get("loss"));
        assertEquals(0.6, result.metrics().get("loss"));
        assertFalse(result.metrics().containsKey("epoch"));
        assertEquals(3, recorder.progress.size());
        assertTrue(recorder.progress.get(0).describe().matches("epoch 1/3 loss=0\\.800 eta=\\d+s"), recorder.progress.get(0).describe());
    }

    @Test
    void nonZeroExitFailsWithTheLastLinesOfOutput() throws IOException {
        StringBuilder body = new StringBuilder();
        for (int i = 1; i <= 30; i++) {
            body.append("echo line").append(i).append('\n');
        }
        body.append("echo 'Traceback: boom' >&2\nexit 3\n");
        script("fail.sh", body.toString());
        TrainResult result = new CommandTrainer("sh fail.sh").train(request(Map.of(), 1, null), work.resolve("out"), TrainingListener.NONE);

        assertEquals(RunStatus.FAILED, result.status());
        assertEquals(3, result.exitCode());
        assertTrue(result.error().startsWith("training command exited with code 3\nlast stdout lines:\nline11\n"), result.error());
        assertTrue(result.error().endsWith("line30\nlast stderr lines:\nTraceback: boom"), result.error());
        assertFalse(result.error().contains("line10\n"), "only the last " + CommandTrainer.TAIL_LINES + " lines");
    }

    @Test
    void aMissingCommandFailsWithItsExitCode() {
        TrainResult result = new CommandTrainer("no-such-trainer-xyz --fast").train(request(Map.of(), 1, null), work.resolve("out"),
                TrainingListener.NONE);
        assertEquals(RunStatus.FAILED, result.status());
        assertEquals(127, result.exitCode());
        assertTrue(result.error().contains("not found"), result.error());
    }

    @Test
    void cancelKillsTheWholeProcessTree() throws Exception {
        script("tree.sh", """
                sleep 300 &
                echo "child=$!"
                sh -c 'sleep 300 & echo "grandchild=$!"; wait' &
                wait
                """);
        Pattern pid = Pattern.compile("(grand)?child=(\\d+)");
        List<Long> pids = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch bothStarted = new CountDownLatch(2);
        TrainingListener listener = new TrainingListener() {
            @Override
            public void output(String stream, String line) {
                Matcher m = pid.matcher(line);
                if (m.matches()) {
                    pids.add(Long.parseLong(m.group(2)));
                    bothStarted.countDown();
                }
            }
        };
        CommandTrainer trainer = new CommandTrainer("sh tree.sh", Duration.ofSeconds(5), Duration.ofMillis(50));
        ExecutorService executor = Executors.newSingleThreadExecutor();
        try {
            Future<TrainResult> running = executor.submit(() -> trainer.train(request(Map.of(), 1, null), work.resolve("out"), listener));
            assertTrue(bothStarted.await(20, TimeUnit.SECONDS));
            pids.forEach(p -> assertTrue(ProcessTree.isRunning(p), "sleep " + p + " runs before cancel"));

            trainer.cancel();
            TrainResult result = running.get(20, TimeUnit.SECONDS);

            assertEquals(RunStatus.CANCELLED, result.status());
            assertTrue(result.error().startsWith("cancelled"), result.error());
            pids.forEach(p -> assertFalse(ProcessTree.isRunning(p), "sleep " + p + " is gone after cancel"));
        } finally {
            executor.shutdownNow();
        }
    }

    @Test
    void interruptingTheTrainingThreadCancelsAndAStubbornChildGetsSigkill() throws Exception {
        script("stubborn.sh", "trap '' TERM\nsleep 300 &\necho \"child=$!\"\nwait\n");
        List<Long> pids = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch started = new CountDownLatch(1);
        TrainingListener listener = new TrainingListener() {
            @Override
            public void output(String stream, String line) {
                if (line.startsWith("child=")) {
                    pids.add(Long.parseLong(line.substring(6)));
                    started.countDown();
                }
            }
        };
        CommandTrainer trainer = new CommandTrainer("sh stubborn.sh", Duration.ofMillis(300), Duration.ofMillis(50));
        ExecutorService executor = Executors.newSingleThreadExecutor();
        try {
            Future<TrainResult> running = executor.submit(() -> trainer.train(request(Map.of(), 1, null), work.resolve("out"), listener));
            assertTrue(started.await(20, TimeUnit.SECONDS));

            long start = System.nanoTime();
            running.cancel(true);
            executor.shutdown();
            assertTrue(executor.awaitTermination(20, TimeUnit.SECONDS));
            assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(10));
            assertFalse(ProcessTree.isRunning(pids.get(0)), "SIGTERM-ignoring sleep is killed after the grace period");
        } finally {
            executor.shutdownNow();
        }
    }

    @Test
    void aDaemonisedChildThatLeftTheTreeIsFoundByItsEnvironmentAndKilled() throws Exception {
        // the subshell starts sleep in the background and exits: sleep is re-parented, no longer a descendant
        script("daemon.sh", "(sleep 300 & echo \"orphan=$!\")\necho started\nsleep 300\n");
        List<Long> orphans = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch started = new CountDownLatch(1);
        TrainingListener listener = new TrainingListener() {
            @Override
            public void output(String stream, String line) {
                if (line.startsWith("orphan=")) {
                    orphans.add(Long.parseLong(line.substring(7)));
                }
                if (line.equals("started")) {
                    started.countDown();
                }
            }
        };
        CommandTrainer trainer = new CommandTrainer("sh daemon.sh", Duration.ofSeconds(5), Duration.ofMillis(50));
        ExecutorService executor = Executors.newSingleThreadExecutor();
        try {
            Future<TrainResult> running = executor.submit(() -> trainer.train(request(Map.of(), 1, null), work.resolve("out"), listener));
            assertTrue(started.await(20, TimeUnit.SECONDS));
            long orphan = orphans.get(0);
            assertTrue(ProcessTree.isRunning(orphan));
            assertTrue(ProcessHandle.current().descendants().noneMatch(p -> p.pid() == orphan), "it left the tree");

            long start = System.nanoTime();
            trainer.cancel();
            assertEquals(RunStatus.CANCELLED, running.get(20, TimeUnit.SECONDS).status());
            assertFalse(ProcessTree.isRunning(orphan), "the orphan carried the cookie and was killed");
            assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(4), "no wait for a pipe held open by an escaped process");
        } finally {
            executor.shutdownNow();
        }
    }

    @Test
    void backgroundProcessesLeftByAFinishedCommandAreEnded() throws Exception {
        script("leak.sh", "sleep 300 &\necho \"child=$!\"\nsleep 0.3\n");
        List<String> lines = Collections.synchronizedList(new ArrayList<>());
        TrainingListener listener = new TrainingListener() {
            @Override
            public void output(String stream, String line) {
                lines.add(line);
            }
        };
        TrainResult result = new CommandTrainer("sh leak.sh").train(request(Map.of(), 1, null), work.resolve("out"), listener);

        assertEquals(RunStatus.SUCCEEDED, result.status());
        long child = Long.parseLong(lines.get(0).substring(6));
        assertFalse(ProcessTree.isRunning(child));
    }

    @Test
    void samplesCpuTimeAndPeakMemoryOfTheTree() {
        String busy = "i=0; while [ $i -lt 300000 ]; do i=$((i+1)); done";
        TrainResult result = new CommandTrainer("sh -c '" + busy + "' & " + busy + "; wait").train(request(Map.of(), 1, null),
                work.resolve("out"), TrainingListener.NONE);

        assertEquals(RunStatus.SUCCEEDED, result.status(), result.error());
        assertTrue(result.usage().cpuMillis() > 100, "cpu " + result.usage());
        assertTrue(result.usage().peakRssBytes() > 100_000, "rss " + result.usage());
        assertTrue(result.usage().wallMillis() > 0);
        assertNull(result.format());
    }
}
