package dev.mlops.storage;

import dev.mlops.error.ConflictException;
import dev.mlops.error.StorageUnavailableException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;

/**
 * A store in a local (or shared network) folder. Writes go to a temporary file in the same folder
 * tree and are renamed into place, so readers never see partial content; conditional writes hold
 * an OS file lock per key, which serialises writers across processes.
 */
public final class LocalArtifactStore implements ArtifactStore {
    private static final String TMP = ".tmp";
    private static final String LOCKS = ".locks";
    private static final int COPY_BUFFER = 1 << 20;

    private final Path root;
    private final ConcurrentHashMap<String, ReentrantLock> inProcessLocks = new ConcurrentHashMap<>();

    public LocalArtifactStore(Path root) {
        this.root = root.toAbsolutePath().normalize();
        try {
            Files.createDirectories(this.root.resolve(TMP));
            Files.createDirectories(this.root.resolve(LOCKS));
        } catch (IOException e) {
            throw new StorageUnavailableException("registry folder " + this.root
                    + " cannot be created (" + e.getClass().getSimpleName() + ": " + e.getMessage()
                    + "); check the path and its permissions, or pass --registry", e);
        }
        if (!Files.isWritable(this.root)) {
            throw new StorageUnavailableException("registry folder " + this.root
                    + " is not writable; fix its permissions or pass another --registry");
        }
    }

    public Path root() {
        return root;
    }

    @Override
    public String location() {
        return root.toUri().toString();
    }

    @Override
    public Optional<StoredObject> read(String key) {
        Path path = pathOf(key);
        try {
            byte[] content = Files.readAllBytes(path);
            return Optional.of(new StoredObject(content, etagOf(content)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw io("read " + key, e);
        }
    }

    @Override
    public String create(String key, byte[] content) {
        Path path = pathOf(key);
        return withKeyLock(key, () -> {
            if (Files.exists(path)) {
                throw new ConflictException("'" + key + "' already exists in " + location());
            }
            writeAtomically(path, content);
            return etagOf(content);
        });
    }

    @Override
    public String replace(String key, byte[] content, String expectedEtag) {
        Path path = pathOf(key);
        return withKeyLock(key, () -> {
            byte[] current;
            try {
                current = Files.readAllBytes(path);
            } catch (NoSuchFileException e) {
                throw new ConflictException("'" + key + "' was deleted concurrently; retry");
            }
            if (!etagOf(current).equals(expectedEtag)) {
                throw new ConflictException("'" + key + "' was changed concurrently; retry");
            }
            writeAtomically(path, content);
            return etagOf(content);
        });
    }

    @Override
    public boolean exists(String key) {
        return Files.isRegularFile(pathOf(key));
    }

    @Override
    public List<String> list(String prefix) {
        Keys.checkPrefix(prefix);
        int slash = prefix.lastIndexOf('/');
        Path start = slash < 0 ? root : root.resolve(prefix.substring(0, slash));
        if (!Files.isDirectory(start)) {
            return List.of();
        }
        List<String> keys = new ArrayList<>();
        try (Stream<Path> files = Files.walk(start)) {
            files.filter(Files::isRegularFile).forEach(file -> {
                String key = root.relativize(file).toString().replace('\\', '/');
                if (key.startsWith(prefix) && !key.startsWith(TMP + "/") && !key.startsWith(LOCKS + "/")) {
                    keys.add(key);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            throw new StorageUnavailableException("cannot list '" + prefix + "' in " + location() + ": " + e.getMessage(), e);
        }
        keys.sort(null);
        return keys;
    }

    @Override
    public void upload(String key, Path source, TransferListener listener) {
        Path target = pathOf(key);
        Path tmp = tempFile();
        try (InputStream in = Files.newInputStream(source);
             FileChannel out = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
            long total = Files.size(source);
            copy(key, in, java.nio.channels.Channels.newOutputStream(out), total, listener);
            out.force(true);
        } catch (IOException e) {
            deleteQuietly(tmp);
            throw io("upload " + source + " to " + key, e);
        }
        moveIntoPlace(tmp, target);
    }

    @Override
    public void download(String key, Path target, TransferListener listener) {
        Path source = pathOf(key);
        if (!Files.isRegularFile(source)) {
            throw new dev.mlops.error.NotFoundException("'" + key + "' is missing from " + location()
                    + "; the registry may be damaged, run `mlops audit --verify`");
        }
        try (InputStream in = Files.newInputStream(source);
             OutputStream out = Files.newOutputStream(target)) {
            copy(key, in, out, Files.size(source), listener);
        } catch (IOException e) {
            throw new StorageUnavailableException("cannot download " + key + " to " + target + " ("
                    + e.getClass().getSimpleName() + ": " + e.getMessage() + "); check that the target folder exists and is writable", e);
        }
    }

    @Override
    public void delete(String key) {
        try {
            Files.deleteIfExists(pathOf(key));
        } catch (IOException e) {
            throw io("delete " + key, e);
        }
    }

    private Path pathOf(String key) {
        return root.resolve(Keys.check(key));
    }

    private interface LockedAction<T> {
        T run() throws IOException;
    }

    private <T> T withKeyLock(String key, LockedAction<T> action) {
        ReentrantLock local = inProcessLocks.computeIfAbsent(key, k -> new ReentrantLock());
        local.lock();
        try (FileChannel channel = FileChannel.open(lockFile(key), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock ignored = lockAcrossProcesses(channel)) {
            return action.run();
        } catch (IOException e) {
            throw io("write " + key, e);
        } finally {
            local.unlock();
        }
    }

    /** Another store instance in this JVM may hold the OS lock; the JVM then refuses a second one. */
    private static FileLock lockAcrossProcesses(FileChannel channel) throws IOException {
        while (true) {
            try {
                return channel.lock();
            } catch (OverlappingFileLockException e) {
                try {
                    Thread.sleep(2);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while waiting for a lock", interrupted);
                }
            }
        }
    }

    private Path lockFile(String key) {
        return root.resolve(LOCKS).resolve(sha256(key.getBytes(StandardCharsets.UTF_8)).substring(0, 32) + ".lock");
    }

    private void writeAtomically(Path target, byte[] content) throws IOException {
        Path tmp = tempFile();
        try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
            out.write(java.nio.ByteBuffer.wrap(content));
            out.force(true);
        } catch (IOException e) {
            deleteQuietly(tmp);
            throw e;
        }
        moveIntoPlace(tmp, target);
    }

    private void moveIntoPlace(Path tmp, Path target) {
        try {
            Files.createDirectories(target.getParent());
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            deleteQuietly(tmp);
            throw io("move into " + target, e);
        }
    }

    private Path tempFile() {
        try {
            return Files.createFile(root.resolve(TMP).resolve(UUID.randomUUID() + ".part"));
        } catch (IOException e) {
            throw io("create a temporary file", e);
        }
    }

    private static void copy(String key, InputStream in, OutputStream out, long total, TransferListener listener)
            throws IOException {
        byte[] buffer = new byte[COPY_BUFFER];
        long done = 0;
        int n;
        while ((n = in.read(buffer)) > 0) {
            out.write(buffer, 0, n);
            done += n;
            listener.progress(key, done, total);
        }
    }

    private static void deleteQuietly(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException ignored) {
            // a stray temporary file is harmless; it is never read as content
        }
    }

    private StorageUnavailableException io(String what, IOException e) {
        return new StorageUnavailableException("cannot " + what + " in " + location() + " ("
                + e.getClass().getSimpleName() + ": " + e.getMessage() + "); check the folder and its free space", e);
    }

    static String etagOf(byte[] content) {
        return sha256(content);
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
