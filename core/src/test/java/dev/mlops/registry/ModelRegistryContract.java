package dev.mlops.registry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mlops.audit.AuditEvent;
import dev.mlops.error.ConflictException;
import dev.mlops.error.IntegrityException;
import dev.mlops.error.InvalidInputException;
import dev.mlops.error.NotFoundException;
import dev.mlops.lineage.BuildInfo;
import dev.mlops.storage.ArtifactStore;
import dev.mlops.storage.TransferListener;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The behaviour every registry backend must have. Each backend's test extends this class and
 * supplies a fresh, empty store.
 */
public abstract class ModelRegistryContract {
    protected static final Caller ALICE = new Caller("alice", new BuildInfo("jenkins", "https://ci/job/train/7/", "train", "7", Map.of()));

    @TempDir
    protected Path temp;
    protected ArtifactStore store;
    protected ModelRegistry registry;

    protected abstract ArtifactStore newStore() throws Exception;

    @BeforeEach
    void openRegistry() throws Exception {
        store = newStore();
        registry = new ModelRegistry(store, Clock.systemUTC());
    }

    @AfterEach
    void closeRegistry() {
        registry.close();
    }

    protected Path file(String name, String content) throws IOException {
        Path file = temp.resolve(name);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
        return file;
    }

    protected ModelVersion register(String model, Path path, Map<String, Double> metrics, Map<String, String> tags) {
        return registry.register(new RegisterRequest(model, List.of(path), "test", null, metrics, Map.of(), tags, null, "test"),
                ALICE, TransferListener.NONE);
    }

    @Test
    void registersFirstVersionWithFileHashesAndSizes() throws IOException {
        ModelVersion v = register("churn", file("model.bin", "weights-1"), Map.of("accuracy", 0.9), Map.of());
        assertEquals(1, v.version());
        assertEquals("churn:1", v.ref());
        assertEquals(1, v.files().size());
        assertEquals("model.bin", v.files().get(0).path());
        assertEquals(9, v.files().get(0).sizeBytes());
        // sha256 of "weights-1", from `printf weights-1 | sha256sum`
        assertEquals(ModelRegistry.sha256(temp.resolve("model.bin")), v.files().get(0).sha256());
        assertEquals(v, registry.version("churn", 1));
    }

    @Test
    void versionsAreConsecutive() throws IOException {
        Path model = file("m.bin", "a");
        for (int i = 1; i <= 3; i++) {
            assertEquals(i, register("churn", model, Map.of(), Map.of()).version());
        }
        assertEquals(List.of(1, 2, 3), registry.versions("churn").stream().map(v -> v.version().version()).toList());
    }

    @Test
    void registersAFolderKeepingRelativePaths() throws IOException {
        file("dir/model/weights.params", "w");
        file("dir/model/config/schema.json", "{}");
        ModelVersion v = registry.register(new RegisterRequest("churn", List.of(temp.resolve("dir/model")), "djl", null,
                Map.of(), Map.of(), Map.of(), null, null), ALICE, TransferListener.NONE);
        assertEquals(List.of("config/schema.json", "weights.params"), v.files().stream().map(ModelFile::path).toList());
    }

    @Test
    void downloadRoundTripsAndVerifiesChecksums() throws IOException {
        register("churn", file("model.bin", "payload-xyz"), Map.of(), Map.of());
        DownloadResult result = registry.download(ModelRef.parse("churn:1"), temp.resolve("out"), TransferListener.NONE);
        assertEquals("payload-xyz", Files.readString(result.files().get(0)));
    }

    @Test
    void downloadRefusesDamagedContentAndLeavesNoFile() throws IOException {
        ModelVersion v = register("churn", file("model.bin", "good content"), Map.of(), Map.of());
        store.upload(ModelRegistry.blobKey(v.files().get(0).sha256()), file("evil.bin", "bad content!"), TransferListener.NONE);
        Path out = temp.resolve("out");
        IntegrityException e = assertThrows(IntegrityException.class,
                () -> registry.download(ModelRef.parse("churn:1"), out, TransferListener.NONE));
        assertTrue(e.getMessage().contains("SHA-256 mismatch"), e.getMessage());
        try (var files = Files.list(out)) {
            assertEquals(0, files.count(), "no file, not even a partial one, may appear");
        }
    }

    @Test
    void identicalContentIsStoredOnce() throws IOException {
        Path model = file("m.bin", "same bytes");
        ModelVersion a = register("churn", model, Map.of(), Map.of());
        ModelVersion b = register("other", model, Map.of(), Map.of());
        assertEquals(a.files().get(0).sha256(), b.files().get(0).sha256());
        assertEquals(1, store.list("blobs/").size());
    }

    @Test
    void resolvesLatestVersionAndAliases() throws IOException {
        Path model = file("m.bin", "a");
        register("churn", model, Map.of(), Map.of());
        register("churn", model, Map.of(), Map.of());
        assertEquals(2, registry.get(ModelRef.parse("churn")).version());
        registry.setAlias("churn", "production", 1, null, ALICE, "first");
        assertEquals(1, registry.get(ModelRef.parse("churn@production")).version());
    }

    @Test
    void aliasMovesAreCompareAndSwapWithHistory() throws IOException {
        Path model = file("m.bin", "a");
        register("churn", model, Map.of(), Map.of());
        register("churn", model, Map.of(), Map.of());
        register("churn", model, Map.of(), Map.of());
        registry.setAlias("churn", "production", 1, 0, ALICE, "first");
        registry.setAlias("churn", "production", 2, 1, ALICE, "better");
        ConflictException stale = assertThrows(ConflictException.class,
                () -> registry.setAlias("churn", "production", 3, 1, ALICE, "stale view"));
        assertTrue(stale.getMessage().contains("points at version 2"), stale.getMessage());
        assertThrows(ConflictException.class, () -> registry.setAlias("churn", "production", 3, 0, ALICE, "expects unset"));

        RegisteredModel model1 = registry.model("churn");
        assertEquals(2, model1.alias("production").orElseThrow().version());
        assertEquals(2, model1.aliasHistory().size());
        assertNull(model1.aliasHistory().get(0).fromVersion());
        assertEquals(1, model1.aliasHistory().get(1).fromVersion());
        assertEquals("alice", model1.aliasHistory().get(1).by());

        AliasChange deleted = registry.deleteAlias("churn", "production", 2, ALICE, "retire");
        assertNull(deleted.toVersion());
        assertTrue(registry.model("churn").alias("production").isEmpty());
        assertEquals(3, registry.model("churn").aliasHistory().size());
    }

    @Test
    void aliasToMissingVersionOrModelIsNotFound() throws IOException {
        register("churn", file("m.bin", "a"), Map.of(), Map.of());
        assertThrows(NotFoundException.class, () -> registry.setAlias("churn", "production", 9, null, ALICE, null));
        assertThrows(NotFoundException.class, () -> registry.setAlias("nope", "production", 1, null, ALICE, null));
        NotFoundException unknownAlias = assertThrows(NotFoundException.class, () -> registry.get(ModelRef.parse("churn@canary")));
        assertTrue(unknownAlias.getMessage().contains("canary"), unknownAlias.getMessage());
        assertThrows(NotFoundException.class, () -> registry.version("churn", 2));
    }

    @Test
    void archiveIsRefusedWhileAnAliasPointsAtTheVersion() throws IOException {
        Path model = file("m.bin", "a");
        register("churn", model, Map.of(), Map.of());
        register("churn", model, Map.of(), Map.of());
        registry.setAlias("churn", "production", 1, null, ALICE, null);
        ConflictException refused = assertThrows(ConflictException.class, () -> registry.archive("churn", 1, ALICE, "old"));
        assertTrue(refused.getMessage().contains("production"), refused.getMessage());

        registry.archive("churn", 2, ALICE, "bad candidate");
        assertTrue(registry.model("churn").isArchived(2));
        assertEquals(1, registry.get(ModelRef.parse("churn")).version(), "latest skips archived versions");
        assertThrows(ConflictException.class, () -> registry.setAlias("churn", "staging", 2, null, ALICE, null));
        assertEquals(1, registry.search(new VersionQuery("churn", null, null, null, false)).size());
        assertEquals(2, registry.search(new VersionQuery("churn", null, null, null, true)).size());
    }

    @Test
    void searchesByNameTagAliasAndMetric() throws IOException {
        Path model = file("m.bin", "a");
        register("churn-eu", model, Map.of("accuracy", 0.81), Map.of("team", "eu"));
        register("churn-eu", model, Map.of("accuracy", 0.93), Map.of("team", "eu"));
        register("churn-us", model, Map.of("accuracy", 0.95), Map.of("team", "us"));
        register("fraud", model, Map.of("auc", 0.99), Map.of("team", "eu"));
        registry.setAlias("churn-eu", "production", 2, null, ALICE, null);

        assertEquals(Set.of("churn-eu:1", "churn-eu:2", "churn-us:1"), refs(new VersionQuery("churn-*", null, null, null, false)));
        assertEquals(Set.of("churn-eu:1", "churn-eu:2", "fraud:1"), refs(new VersionQuery(null, Map.of("team", "eu"), null, null, false)));
        assertEquals(Set.of("churn-eu:2"), refs(new VersionQuery(null, null, "production", null, false)));
        assertEquals(Set.of("churn-eu:2", "churn-us:1"),
                refs(new VersionQuery(null, null, null, List.of(MetricFilter.parse("accuracy>=0.9")), false)));
        assertEquals(Set.of("churn-eu:2"), refs(new VersionQuery("churn-*", Map.of("team", "eu"), null,
                List.of(MetricFilter.parse("accuracy > 0.9")), false)));
    }

    private Set<String> refs(VersionQuery query) {
        Set<String> refs = new TreeSet<>();
        registry.search(query).forEach(v -> refs.add(v.version().ref()));
        return refs;
    }

    @Test
    void rejectsBadNamesMetricsAndFilesWithoutWritingAnything() throws IOException {
        Path model = file("m.bin", "a");
        for (String bad : List.of("", "../etc", "a/b", "a\\b", "x".repeat(129), "-lead", "sp ace")) {
            InvalidInputException e = assertThrows(InvalidInputException.class, () -> register(bad, model, Map.of(), Map.of()), bad);
            assertTrue(e.getMessage().startsWith("model:"), e.getMessage());
        }
        InvalidInputException nan = assertThrows(InvalidInputException.class, () -> register("churn", model, Map.of("accuracy", Double.NaN), Map.of()));
        assertTrue(nan.getMessage().startsWith("metrics.accuracy:"), nan.getMessage());
        InvalidInputException missing = assertThrows(InvalidInputException.class,
                () -> register("churn", temp.resolve("absent.bin"), Map.of(), Map.of()));
        assertTrue(missing.getMessage().startsWith("files:") && missing.getMessage().contains("absent.bin"), missing.getMessage());
        assertThrows(InvalidInputException.class, () -> registry.setAlias("churn", "Bad Alias", 1, null, ALICE, null));
        assertEquals(List.of(), store.list("models/"), "nothing may be written for bad input");
    }

    @Test
    void everyMutationIsAuditedWithWhoWhatWhyAndBuild() throws IOException {
        Path model = file("m.bin", "a");
        register("churn", model, Map.of(), Map.of());
        register("churn", model, Map.of(), Map.of());
        registry.setAlias("churn", "production", 1, null, ALICE, "first release");
        registry.setAlias("churn", "production", 2, 1, ALICE, "better");
        registry.deleteAlias("churn", "production", 2, ALICE, "rollback drill");
        registry.archive("churn", 1, ALICE, "superseded");

        List<AuditEvent> events = registry.audit().read(1, 0);
        assertEquals(List.of("create-model", "register", "register", "set-alias", "set-alias", "delete-alias", "archive"),
                events.stream().map(AuditEvent::action).toList());
        AuditEvent move = events.get(4);
        assertEquals("alice", move.actor());
        assertEquals("model/churn@production", move.target());
        assertEquals("better", move.reason());
        assertEquals("1", move.details().get("from"));
        assertTrue(move.build().contains("https://ci/job/train/7/"), move.build());
        assertEquals(events.get(3).hash(), move.prevHash());
        assertTrue(registry.audit().verify().intact());
    }

    @Test
    void auditDetectsTampering() throws IOException {
        Path model = file("m.bin", "a");
        register("churn", model, Map.of(), Map.of());
        registry.setAlias("churn", "production", 1, null, ALICE, "honest reason");
        String key = store.list("audit/events/").get(2);
        var original = store.read(key).orElseThrow();
        String forged = new String(original.content()).replace("honest reason", "forged reason");
        store.replace(key, forged.getBytes(), original.etag());
        var verification = registry.audit().verify();
        assertFalse(verification.intact());
        assertEquals(3L, verification.firstBadSeq());
        assertTrue(verification.problem().contains("modified"), verification.problem());
    }

    @Test
    void auditDetectsARemovedEvent() throws IOException {
        register("churn", file("m.bin", "a"), Map.of(), Map.of());
        registry.setAlias("churn", "production", 1, null, ALICE, null);
        store.delete(store.list("audit/events/").get(1));
        var verification = registry.audit().verify();
        assertFalse(verification.intact());
        assertEquals(2L, verification.firstBadSeq());
    }

    @Test
    void concurrentRegistrationsInOneProcessGetDistinctConsecutiveVersions() throws Exception {
        Path model = file("m.bin", "a");
        int threads = 6;
        int each = 4;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<List<Integer>>> futures = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            futures.add(pool.submit(() -> {
                List<Integer> mine = new ArrayList<>();
                for (int i = 0; i < each; i++) {
                    mine.add(register("churn", model, Map.of(), Map.of()).version());
                }
                return mine;
            }));
        }
        List<Integer> all = new ArrayList<>();
        for (Future<List<Integer>> f : futures) {
            all.addAll(f.get());
        }
        pool.shutdown();
        Collections.sort(all);
        List<Integer> expected = new ArrayList<>();
        for (int i = 1; i <= threads * each; i++) {
            expected.add(i);
        }
        assertEquals(expected, all);
        assertTrue(registry.audit().verify().intact());
    }

    @Test
    void concurrentAliasMovesLoseNoHistory() throws Exception {
        Path model = file("m.bin", "a");
        for (int i = 0; i < 4; i++) {
            register("churn", model, Map.of(), Map.of());
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            int version = t + 1;
            futures.add(pool.submit(() -> {
                for (int i = 0; i < 5; i++) {
                    registry.setAlias("churn", "staging", version, null, ALICE, "thread " + version);
                }
            }));
        }
        for (Future<?> f : futures) {
            f.get();
        }
        pool.shutdown();
        assertEquals(20, registry.model("churn").aliasHistory().size());
    }

    @Test
    void downloadedBytesMatchLargerFiles() throws IOException {
        byte[] data = new byte[3 * 1024 * 1024 + 17];
        new java.util.Random(1).nextBytes(data);
        Path big = temp.resolve("big.bin");
        Files.write(big, data);
        List<Long> progress = new ArrayList<>();
        registry.register(new RegisterRequest("big", List.of(big), null, null, null, null, null, null, null), ALICE,
                (k, done, total) -> progress.add(done));
        assertEquals((long) data.length, progress.get(progress.size() - 1));
        DownloadResult result = registry.download(ModelRef.parse("big:1"), temp.resolve("out"), TransferListener.NONE);
        assertArrayEquals(data, Files.readAllBytes(result.files().get(0)));
    }
}
