package dev.mlops.monitor;

import dev.mlops.error.InvalidInputException;
import dev.mlops.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;

/**
 * Where {@code mlops monitor} stands (schema {@value #SCHEMA}): the log position right after the last
 * evaluated window (a restart re-reads the window that was open), how many windows were evaluated and
 * the last one's verdict. Written atomically (temp file + rename), so a kill leaves the old or the new
 * state, never half of one.
 */
public record MonitorState(String schema, String logDir, String model, String file, long offset, long windows, long triggers,
                           Instant lastWindowAt, Boolean lastDrift, String lastReport) {
    public static final String SCHEMA = "mlops.monitor-state/v1";

    static MonitorState fresh(Path logDir, String model) {
        return new MonitorState(SCHEMA, logDir.toString(), model, null, 0, 0, 0, null, null, null);
    }

    LogTail.Position position() {
        return new LogTail.Position(file, offset);
    }

    MonitorState after(LogTail.Position end, Instant at, boolean drift, String report, boolean triggered) {
        return new MonitorState(SCHEMA, logDir, model, end.file(), end.offset(), windows + 1, triggers + (triggered ? 1 : 0), at, drift, report);
    }

    MonitorState skippedTo(LogTail.Position end) {
        return new MonitorState(SCHEMA, logDir, model, end.file(), end.offset(), windows, triggers, lastWindowAt, lastDrift, lastReport);
    }

    /** The saved state, or a fresh one when {@code file} does not exist; a state of another log folder or model is refused. */
    public static MonitorState load(Path file, Path logDir, String model) {
        if (!Files.isRegularFile(file)) {
            return fresh(logDir, model);
        }
        MonitorState state;
        try {
            state = Json.fromBytes(Files.readAllBytes(file), MonitorState.class);
        } catch (IOException | RuntimeException e) {
            throw new InvalidInputException("monitor state: " + file + " is not a " + SCHEMA + " document; delete it to start from the oldest log file");
        }
        if (state == null || !SCHEMA.equals(state.schema())) {
            throw new InvalidInputException("monitor state: " + file + " has schema " + (state == null ? null : state.schema()) + ", not " + SCHEMA
                    + "; delete it to start from the oldest log file");
        }
        if (!logDir.toString().equals(state.logDir()) || model != null && !model.equals(state.model())) {
            throw new InvalidInputException("monitor state: " + file + " belongs to logs " + state.logDir() + " of model " + state.model()
                    + ", not " + logDir + " of " + model + "; pass --state FILE for this pair, or delete the file");
        }
        return state;
    }

    public void save(Path file) {
        try {
            Path dir = file.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Path temp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
            try {
                Files.write(temp, Json.toBytes(this));
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(temp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the monitor state " + file + ": " + e.getMessage(), e);
        }
    }
}
