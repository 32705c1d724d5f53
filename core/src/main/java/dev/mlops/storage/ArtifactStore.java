package dev.mlops.storage;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The storage port of the registry: a flat key space ("a/b/c", '/'-separated) with
 * create-if-absent and compare-and-swap on small documents, and atomic file transfer.
 *
 * <p>Every implementation must guarantee, across processes:
 * <ul>
 *   <li>{@link #create} succeeds for exactly one of several concurrent callers;</li>
 *   <li>{@link #replace} succeeds only while the etag is the current one;</li>
 *   <li>an object is never visible half-written (a killed upload leaves nothing at its key).</li>
 * </ul>
 * Implementations are chosen by URI scheme in {@link ArtifactStores}. {@link #location()} is safe
 * to print: it never contains credentials.
 */
public interface ArtifactStore extends AutoCloseable {

    /** Where this store lives, without secrets, for messages. */
    String location();

    Optional<StoredObject> read(String key);

    /**
     * Writes {@code content} at {@code key} only if nothing is there.
     *
     * @return the new etag
     * @throws dev.mlops.error.ConflictException if the key exists
     */
    String create(String key, byte[] content);

    /**
     * Replaces the document at {@code key} only if its etag is still {@code expectedEtag}.
     *
     * @return the new etag
     * @throws dev.mlops.error.ConflictException if the document changed or vanished meanwhile
     */
    String replace(String key, byte[] content, String expectedEtag);

    boolean exists(String key);

    /** Sorted keys starting with {@code prefix}. */
    List<String> list(String prefix);

    /** Uploads a file; the object becomes visible only once complete. Overwrites an existing key. */
    void upload(String key, Path source, TransferListener listener);

    /** Downloads to {@code target} (overwritten). The caller verifies content. */
    void download(String key, Path target, TransferListener listener);

    /** Deletes the key if present. */
    void delete(String key);

    @Override
    default void close() {
    }
}
