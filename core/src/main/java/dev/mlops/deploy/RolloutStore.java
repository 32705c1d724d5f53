package dev.mlops.deploy;

import dev.mlops.error.InvalidInputException;
import dev.mlops.error.NotFoundException;
import dev.mlops.error.StorageUnavailableException;
import dev.mlops.json.Json;
import dev.mlops.registry.Names;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Rollout statuses as JSON files, {@code ROOT/<model>/<id>.json} (by default
 * {@code .mlops/rollouts}). Each save writes a temporary file and renames it over the old one, so
 * a reader sees the old or the new status, never half of one.
 */
public final class RolloutStore {
    private final Path root;

    public RolloutStore(Path root) {
        this.root = root;
    }

    public Path root() {
        return root;
    }

    public RolloutStatus save(RolloutStatus status) {
        Path file = file(status.model(), status.id());
        Path tmp = file.resolveSibling("." + file.getFileName() + "." + UUID.randomUUID() + ".tmp");
        try {
            Files.createDirectories(file.getParent());
            Files.write(tmp, Json.toPrettyString(status).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            try {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
            return status;
        } catch (IOException e) {
            throw new StorageUnavailableException("rollouts: cannot write " + file + " (" + e.getMessage() + "); check the folder is writable");
        } finally {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // a leftover .tmp file is never read as a status
            }
        }
    }

    public RolloutStatus load(String model, String id) {
        Path file = file(model, id);
        if (!Files.exists(file)) {
            throw new NotFoundException("rollout: '" + id + "' of model " + model + " does not exist in " + root
                    + "; list them with `mlops deploy status " + model + "`");
        }
        return read(file);
    }

    /** The model's rollouts, oldest first. */
    public List<RolloutStatus> list(String model) {
        Path dir = root.resolve(Names.model(model));
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<RolloutStatus> all = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.getFileName().toString().endsWith(".json") && !p.getFileName().toString().startsWith("."))
                    .toList()) {
                all.add(read(f));
            }
        } catch (IOException e) {
            throw new StorageUnavailableException("rollouts: cannot list " + dir + " (" + e.getMessage() + ")");
        }
        all.sort(Comparator.comparing(RolloutStatus::createdAt).thenComparing(RolloutStatus::id));
        return all;
    }

    public Optional<RolloutStatus> latest(String model) {
        List<RolloutStatus> all = list(model);
        return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1));
    }

    /** The model's rollout that has not ended yet, if any (at most one runs at a time). */
    public Optional<RolloutStatus> active(String model) {
        return list(model).stream().filter(s -> !s.state().isFinal()).reduce((a, b) -> b);
    }

    private RolloutStatus read(Path file) {
        try {
            return Json.fromBytes(Files.readAllBytes(file), RolloutStatus.class);
        } catch (IOException | RuntimeException e) {
            throw new StorageUnavailableException("rollouts: cannot read " + file + " (" + e.getMessage() + "); restore it or delete it");
        }
    }

    private Path file(String model, String id) {
        Names.model(model);
        if (id == null || !id.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,127}")) {
            throw new InvalidInputException("rollout id: '" + id + "' is not an id; use letters, digits, '.', '_' and '-'");
        }
        return root.resolve(model).resolve(id + ".json");
    }
}
