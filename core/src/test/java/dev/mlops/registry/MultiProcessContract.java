package dev.mlops.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mlops.storage.ArtifactStore;
import dev.mlops.storage.ArtifactStores;
import dev.mlops.storage.TransferListener;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Guarantees across real OS processes: no lost or duplicate versions, no half-written ones. */
public abstract class MultiProcessContract {
    @TempDir
    protected Path temp;

    /** A registry URI on a fresh, empty location. */
    protected abstract String newRegistryUri();

    /** Environment the worker processes need (e.g. storage credentials). */
    protected abstract Map<String, String> workerEnv();

    private Process startWorker(String uri, String model, int count, Path file, Integer hangAt) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                ProcessHandle.current().info().command().orElse("java"), "-cp", System.getProperty("java.class.path"),
                RegisterWorker.class.getName(), uri, model, String.valueOf(count), file.toString()));
        if (hangAt != null) {
            command.add(String.valueOf(hangAt));
        }
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT);
        builder.environment().putAll(workerEnv());
        return builder.start();
    }

    private ModelRegistry open(String uri) {
        ArtifactStore store = ArtifactStores.open(uri, temp, workerEnv());
        return new ModelRegistry(store, Clock.systemUTC());
    }

    @Test
    void concurrentProcessesGetDistinctConsecutiveVersions() throws Exception {
        String uri = newRegistryUri();
        Path file = temp.resolve("model.bin");
        Files.writeString(file, "weights");
        int processes = 4;
        int each = 5;
        List<Process> workers = new ArrayList<>();
        for (int p = 0; p < processes; p++) {
            workers.add(startWorker(uri, "shared", each, file, null));
        }
        List<Integer> versions = new ArrayList<>();
        for (Process worker : workers) {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(worker.getInputStream(), StandardCharsets.UTF_8))) {
                out.lines().filter(l -> l.startsWith("VERSION ")).forEach(l -> versions.add(Integer.parseInt(l.split(" ")[1])));
            }
            assertTrue(worker.waitFor(120, TimeUnit.SECONDS));
            assertEquals(0, worker.exitValue());
        }
        versions.sort(null);
        List<Integer> expected = new ArrayList<>();
        for (int i = 1; i <= processes * each; i++) {
            expected.add(i);
        }
        assertEquals(expected, versions, "every process registration got its own number, none lost, none twice");
        try (ModelRegistry registry = open(uri)) {
            assertEquals(processes * each, registry.versions("shared").size());
            var audit = registry.audit().verify();
            assertTrue(audit.intact(), audit.problem());
            assertEquals(processes * each + 1, audit.events(), "one create-model event plus one per registration");
        }
    }

    @Test
    void processKilledMidUploadLeavesNoVersionAndNoPartialBlob() throws Exception {
        String uri = newRegistryUri();
        Path big = temp.resolve("big.bin");
        byte[] data = new byte[24 * 1024 * 1024];
        new Random(3).nextBytes(data);
        Files.write(big, data);

        Process worker = startWorker(uri, "crashy", 1, big, 30);
        try (BufferedReader out = new BufferedReader(new InputStreamReader(worker.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null && !line.equals("HANG")) {
                // wait until the upload is under way
            }
            assertEquals("HANG", line, "worker should report it is mid-upload");
            worker.destroyForcibly();
            assertTrue(worker.waitFor(30, TimeUnit.SECONDS));
        }

        String sha256 = ModelRegistry.sha256(big);
        try (ModelRegistry registry = open(uri)) {
            assertTrue(registry.findModel("crashy").isEmpty(), "no model record is visible");
            assertTrue(registry.search(new VersionQuery("crashy", null, null, null, true)).isEmpty(), "no version is visible");
            try (ArtifactStore store = ArtifactStores.open(uri, temp, workerEnv())) {
                assertFalse(store.exists(ModelRegistry.blobKey(sha256)), "no partial blob at the content key");
            }
            ModelVersion v = registry.register(new RegisterRequest("crashy", List.of(big), null, null, null, null, null, null, null),
                    new Caller("retry", null), TransferListener.NONE);
            assertEquals(1, v.version(), "the retry is version 1: the crash consumed no number");
            Path out = registry.download(ModelRef.parse("crashy:1"), temp.resolve("out"), TransferListener.NONE).files().get(0);
            assertEquals(sha256, ModelRegistry.sha256(out));
        }
    }
}
