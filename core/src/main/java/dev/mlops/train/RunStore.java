package dev.mlops.train;

import dev.mlops.error.ConflictException;
import dev.mlops.error.IntegrityException;
import dev.mlops.error.InvalidInputException;
import dev.mlops.error.NotFoundException;
import dev.mlops.json.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Training runs on disk: {@code <root>/<run-id>/run.json} and {@code <root>/<run-id>/output/} (the
 * model files). {@code run.json} is always replaced atomically (temporary file, fsync, rename), so
 * a reader sees the old or the new record, never half of one. A run is marked SUCCEEDED only after
 * its model files are complete; a process killed mid-run leaves RUNNING behind, which is never
 * reused.
 */
public final class RunStore {
    public static final String DEFAULT_DIR = ".mlops/runs";
    public static final String ENV_VAR = "MLOPS_RUNS_DIR";
    public static final String RECORD_FILE = "run.json";
    public static final String OUTPUT_DIR = "output";
    private static final Pattern RUN_ID = Pattern.compile("[0-9]{8}-[0-9]{6}-[0-9a-f]{6}");
    private static final DateTimeFormatter ID_TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

    private final Path root;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    public RunStore(Path root, Clock clock) {
        this.root = root.toAbsolutePath().normalize();
        this.clock = clock;
    }

    /** The store at {@code runsDir}, else $MLOPS_RUNS_DIR, else .mlops/runs; relative to the working directory. */
    public static RunStore open(String runsDir, Path workingDir, Map<String, String> env, Clock clock) {
        String dir = runsDir != null && !runsDir.isBlank() ? runsDir : env.getOrDefault(ENV_VAR, DEFAULT_DIR);
        return new RunStore(workingDir.resolve(dir), clock);
    }

    public Path root() {
        return root;
    }

    public Path runDir(String id) {
        checkId(id);
        return root.resolve(id);
    }

    public Path outputDir(String id) {
        return runDir(id).resolve(OUTPUT_DIR);
    }

    /** Creates the run's folders and writes its first record (normally RUNNING); a fresh id is the caller's job. */
    public RunRecord create(RunRecord record) {
        try {
            Files.createDirectories(root);
            Files.createDirectory(runDir(record.id()));
            Files.createDirectory(outputDir(record.id()));
        } catch (FileAlreadyExistsException e) {
            throw new ConflictException("run: " + record.id() + " already exists in " + root + "; start the run again for a new id");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create run folder in " + root + "; check the --runs-dir path and permissions", e);
        }
        save(record);
        return record;
    }

    /** A new id: UTC start time plus 24 random bits, so ids sort by start time. */
    public String newRunId() {
        byte[] bytes = new byte[3];
        random.nextBytes(bytes);
        return ID_TIME.format(clock.instant()) + "-" + HexFormat.of().formatHex(bytes);
    }

    /**
     * Replaces run.json atomically. Works on an interrupted thread too (a cancelled run must still
     * be recorded): the interrupt is set aside while writing, since it would close the file channel.
     */
    public void save(RunRecord record) {
        boolean interrupted = Thread.interrupted();
        try {
            write(record);
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void write(RunRecord record) {
        Path target = runDir(record.id()).resolve(RECORD_FILE);
        Path temp = target.resolveSibling(RECORD_FILE + "." + HexFormat.of().toHexDigits(random.nextInt()) + ".tmp");
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                ByteBuffer bytes = ByteBuffer.wrap(Json.toPrettyString(record).getBytes(StandardCharsets.UTF_8));
                while (bytes.hasRemaining()) {
                    channel.write(bytes);
                }
                channel.force(true);
            }
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException ignored) {
                // the original error matters more
            }
            throw new UncheckedIOException("cannot write " + target + "; check free space and permissions", e);
        }
    }

    public Optional<RunRecord> find(String id) {
        Path file = runDir(id).resolve(RECORD_FILE);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(Json.mapper().readValue(Files.readAllBytes(file), RunRecord.class));
        } catch (IOException | RuntimeException e) {
            throw new IntegrityException("run: " + file + " is damaged (" + e.getMessage().lines().findFirst().orElse("")
                    + "); delete the run folder and train again", e);
        }
    }

    /** The run, or NotFoundException naming the store. */
    public RunRecord get(String id) {
        return find(id).orElseThrow(() -> new NotFoundException("run: " + id + " not found in " + root
                + "; list runs with ls " + root + " or pass --runs-dir"));
    }

    /** Every readable run, newest first; damaged records are skipped. */
    public List<RunRecord> list() {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        List<RunRecord> runs = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(root)) {
            for (Path dir : dirs.filter(Files::isDirectory).sorted(Comparator.reverseOrder()).toList()) {
                String name = dir.getFileName().toString();
                if (RUN_ID.matcher(name).matches()) {
                    try {
                        find(name).ifPresent(runs::add);
                    } catch (IntegrityException damaged) {
                        // a damaged record is reported by get(id); listing goes on
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + root, e);
        }
        return runs;
    }

    /**
     * The newest SUCCEEDED run with this reuse key whose model files are all still there with their
     * recorded sizes. RUNNING, FAILED and CANCELLED runs are never reused.
     */
    public Optional<RunRecord> findReusable(String reuseKey) {
        return list().stream()
                .filter(run -> run.status() == RunStatus.SUCCEEDED && reuseKey.equals(run.reuseKey()))
                .filter(this::filesIntact)
                .findFirst();
    }

    private boolean filesIntact(RunRecord run) {
        Path output = outputDir(run.id());
        if (run.files().isEmpty() || !Files.isDirectory(output)) {
            return false;
        }
        for (RunFile file : run.files()) {
            Path path = output.resolve(file.path());
            try {
                if (!Files.isRegularFile(path) || Files.size(path) != file.sizeBytes()) {
                    return false;
                }
            } catch (IOException e) {
                return false;
            }
        }
        return true;
    }

    /** Every file under the output folder with its size and SHA-256, sorted by path (also on an interrupted thread). */
    public static List<RunFile> listFiles(Path outputDir) {
        boolean interrupted = Thread.interrupted();
        try {
            return hashFiles(outputDir);
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static List<RunFile> hashFiles(Path outputDir) {
        if (!Files.isDirectory(outputDir)) {
            return List.of();
        }
        List<RunFile> files = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(outputDir)) {
            for (Path file : walk.filter(Files::isRegularFile).sorted().toList()) {
                files.add(new RunFile(outputDir.relativize(file).toString().replace('\\', '/'), Files.size(file), sha256(file)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the model files in " + outputDir, e);
        }
        return files;
    }

    static String sha256(Path file) throws IOException {
        try (DigestInputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
            in.transferTo(OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(in.getMessageDigest().digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void checkId(String id) {
        if (id == null || !RUN_ID.matcher(id).matches()) {
            throw new InvalidInputException("run: '" + id + "' is not a run id; run ids look like 20260105-142233-a1b2c3 (the folder names under "
                    + DEFAULT_DIR + ")");
        }
    }
}
