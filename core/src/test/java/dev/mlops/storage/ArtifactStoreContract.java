package dev.mlops.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mlops.error.ConflictException;
import dev.mlops.error.InvalidInputException;
import dev.mlops.error.NotFoundException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The guarantees of {@link ArtifactStore}, run against every backend. A subclass supplies a fresh,
 * empty store per test.
 */
public abstract class ArtifactStoreContract {
    private static final int THREADS = 8;
    private static final int INCREMENTS_PER_THREAD = 10;

    protected ArtifactStore store;

    @TempDir
    protected Path scratch;

    /** A new, empty store; tests must not see each other's keys. */
    protected abstract ArtifactStore newStore();

    @BeforeEach
    void openStore() {
        store = newStore();
    }

    @AfterEach
    void closeStore() throws Exception {
        store.close();
    }

    @Test
    void createThenReadReturnsContentAndEtag() {
        String etag = store.create("models/m/1/meta.json", bytes("{\"v\":1}"));

        StoredObject read = store.read("models/m/1/meta.json").orElseThrow();

        assertArrayEquals(bytes("{\"v\":1}"), read.content());
        assertEquals(etag, read.etag());
        assertTrue(store.exists("models/m/1/meta.json"));
    }

    @Test
    void createOfAnExistingKeyConflictsAndKeepsTheFirstContent() {
        store.create("pointer", bytes("first"));

        assertThrows(ConflictException.class, () -> store.create("pointer", bytes("second")));
        assertArrayEquals(bytes("first"), store.read("pointer").orElseThrow().content());
    }

    @Test
    void replaceWithTheCurrentEtagSucceedsAndReturnsANewEtag() {
        String first = store.create("doc", bytes("one"));

        String second = store.replace("doc", bytes("two"), first);

        assertNotEquals(first, second);
        StoredObject read = store.read("doc").orElseThrow();
        assertArrayEquals(bytes("two"), read.content());
        assertEquals(second, read.etag());
    }

    @Test
    void replaceWithAStaleEtagConflicts() {
        String stale = store.create("doc", bytes("one"));
        store.replace("doc", bytes("two"), stale);

        assertThrows(ConflictException.class, () -> store.replace("doc", bytes("three"), stale));
        assertArrayEquals(bytes("two"), store.read("doc").orElseThrow().content());
    }

    @Test
    void replaceOfAMissingKeyConflicts() {
        String etag = store.create("doc", bytes("one"));
        store.delete("doc");

        assertThrows(ConflictException.class, () -> store.replace("doc", bytes("two"), etag));
        assertFalse(store.exists("doc"));
    }

    @Test
    @Timeout(120)
    void exactlyOneOfManyConcurrentCreatesWins() throws Exception {
        AtomicInteger conflicts = new AtomicInteger();
        List<String> winners = race(THREADS, i -> {
            try {
                store.create("race/pointer", bytes("writer-" + i));
                return "writer-" + i;
            } catch (ConflictException e) {
                conflicts.incrementAndGet();
                return null;
            }
        });

        assertEquals(1, winners.size(), "winners: " + winners);
        assertEquals(THREADS - 1, conflicts.get());
        assertEquals(winners.get(0), text(store.read("race/pointer").orElseThrow().content()));
    }

    @Test
    @Timeout(300)
    void concurrentReadModifyReplaceLosesNoUpdate() throws Exception {
        store.create("counter", bytes("0"));
        AtomicInteger conflicts = new AtomicInteger();

        race(THREADS, i -> {
            for (int n = 0; n < INCREMENTS_PER_THREAD; n++) {
                while (true) {
                    StoredObject current = store.read("counter").orElseThrow();
                    int value = Integer.parseInt(text(current.content()));
                    try {
                        store.replace("counter", bytes(Integer.toString(value + 1)), current.etag());
                        break;
                    } catch (ConflictException e) {
                        conflicts.incrementAndGet();
                    }
                }
            }
            return null;
        });

        assertEquals(Integer.toString(THREADS * INCREMENTS_PER_THREAD),
                text(store.read("counter").orElseThrow().content()), "conflicts retried: " + conflicts.get());
    }

    @Test
    void listReturnsSortedKeysUnderThePrefixOnly() {
        for (String key : List.of("models/b/1", "models/a/2", "models/a/1", "other/x", "modelsx/y", "models/ab/3")) {
            store.create(key, bytes(key));
        }

        assertEquals(List.of("models/a/1", "models/a/2", "models/ab/3", "models/b/1"), store.list("models/"));
        assertEquals(List.of("models/a/1", "models/a/2"), store.list("models/a/"));
        assertEquals(List.of("models/a/1", "models/a/2", "models/ab/3"), store.list("models/a"));
        assertEquals(List.of("models/a/1", "models/a/2", "models/ab/3", "models/b/1", "modelsx/y"), store.list("models"));
        assertEquals(List.of("models/a/1", "models/a/2", "models/ab/3", "models/b/1", "modelsx/y", "other/x"),
                store.list(""));
        assertEquals(List.of(), store.list("nothing/"));
    }

    @Test
    @Timeout(120)
    void uploadAndDownloadRoundTripALargeFileWithProgress() throws IOException {
        byte[] content = new byte[10 * 1024 * 1024 + 12_345];
        new Random(42).nextBytes(content);
        Path source = Files.write(scratch.resolve("model.bin"), content);
        Recorder up = new Recorder();

        store.upload("models/m/1/model.bin", source, up);

        up.assertCompleted("models/m/1/model.bin", content.length);
        assertTrue(store.exists("models/m/1/model.bin"));

        Path target = scratch.resolve("downloaded.bin");
        Files.write(target, new byte[content.length + 1000]); // longer stale file: must be overwritten, not patched
        Recorder down = new Recorder();
        store.download("models/m/1/model.bin", target, down);

        down.assertCompleted("models/m/1/model.bin", content.length);
        assertArrayEquals(content, Files.readAllBytes(target));
    }

    @Test
    void uploadOverwritesAnExistingKey() throws IOException {
        store.upload("blob", Files.write(scratch.resolve("a"), bytes("first version, longer")), TransferListener.NONE);
        store.upload("blob", Files.write(scratch.resolve("b"), bytes("second")), TransferListener.NONE);

        Path target = scratch.resolve("out");
        store.download("blob", target, TransferListener.NONE);
        assertEquals("second", Files.readString(target));
    }

    @Test
    void emptyFileRoundTrips() throws IOException {
        store.upload("empty", Files.write(scratch.resolve("empty"), new byte[0]), TransferListener.NONE);

        Path target = scratch.resolve("out");
        store.download("empty", target, TransferListener.NONE);
        assertEquals(0, Files.size(target));
    }

    @Test
    void downloadOfAMissingKeyIsNotFound() {
        assertThrows(NotFoundException.class,
                () -> store.download("missing/model.bin", scratch.resolve("out"), TransferListener.NONE));
    }

    @Test
    void deleteRemovesTheKeyAndIgnoresMissingOnes() {
        store.create("doc", bytes("x"));

        store.delete("doc");

        assertFalse(store.exists("doc"));
        assertEquals(Optional.empty(), store.read("doc"));
        assertEquals(List.of(), store.list(""));
        store.delete("doc");
        store.delete("never/there");
        store.create("doc", bytes("again")); // a deleted key can be created anew
    }

    @Test
    void readOfAMissingKeyIsEmpty() {
        assertEquals(Optional.empty(), store.read("no/such/key"));
        assertFalse(store.exists("no/such/key"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"../x", "/abs", "a//b", "a/../b", "a/", "", "./a"})
    void invalidKeysAreRejected(String key) throws IOException {
        Path file = Files.write(scratch.resolve("f"), bytes("x"));
        List<Runnable> operations = List.of(
                () -> store.read(key),
                () -> store.create(key, bytes("x")),
                () -> store.replace(key, bytes("x"), "etag"),
                () -> store.exists(key),
                () -> store.delete(key),
                () -> store.upload(key, file, TransferListener.NONE),
                () -> store.download(key, scratch.resolve("out"), TransferListener.NONE));
        for (Runnable operation : operations) {
            RuntimeException e = assertThrows(RuntimeException.class, operation::run);
            assertTrue(e instanceof IllegalArgumentException || e instanceof InvalidInputException,
                    "key '" + key + "' should be rejected as invalid input, got " + e);
        }
    }

    /** Runs {@code task(i)} on {@code threads} threads released together; returns the non-null results. */
    protected static <T> List<T> race(int threads, IndexedTask<T> task) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                int index = i;
                Callable<T> call = () -> {
                    start.await();
                    return task.run(index);
                };
                futures.add(pool.submit(call));
            }
            start.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> future : futures) {
                T result = future.get(240, TimeUnit.SECONDS);
                if (result != null) {
                    results.add(result);
                }
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    @FunctionalInterface
    protected interface IndexedTask<T> {
        T run(int index) throws Exception;
    }

    protected static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    protected static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** Records progress events; checks they are for the key, never go backwards and reach the total. */
    private static final class Recorder implements TransferListener {
        private final List<long[]> events = new ArrayList<>();
        private final List<String> keys = new ArrayList<>();

        @Override
        public synchronized void progress(String key, long bytesDone, long bytesTotal) {
            keys.add(key);
            events.add(new long[] {bytesDone, bytesTotal});
        }

        synchronized void assertCompleted(String key, long total) {
            assertFalse(events.isEmpty(), "no progress events");
            keys.forEach(k -> assertEquals(key, k));
            long previous = -1;
            for (long[] event : events) {
                assertEquals(total, event[1], "bytesTotal");
                assertTrue(event[0] >= previous, "progress went backwards: " + event[0] + " after " + previous);
                previous = event[0];
            }
            assertEquals(total, previous, "last progress event");
        }
    }
}
