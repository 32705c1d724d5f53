package dev.mlops.registry;

import dev.mlops.audit.AuditLog;
import dev.mlops.audit.AuditRecord;
import dev.mlops.error.ConflictException;
import dev.mlops.error.IntegrityException;
import dev.mlops.error.InvalidInputException;
import dev.mlops.error.NotFoundException;
import dev.mlops.error.StorageUnavailableException;
import dev.mlops.json.Json;
import dev.mlops.storage.ArtifactStore;
import dev.mlops.storage.StoredObject;
import dev.mlops.storage.TransferListener;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The model registry, written once over the {@link ArtifactStore} port so every backend behaves
 * the same. Layout in the store:
 * <pre>
 *   blobs/sha256/ab/abcd...           file contents, content-addressed (uploaded first)
 *   models/NAME/versions/0000000003.json  immutable version records (create-if-absent, last)
 *   models/NAME/model.json            aliases, alias history, archived set (compare-and-swap)
 *   audit/...                         hash-chained audit log
 * </pre>
 * A registration uploads files first and writes its version record last, with create-if-absent
 * on the next free number: a killed registration leaves at most unreferenced blobs, never a
 * visible or half-written version, and concurrent registrations get distinct consecutive numbers.
 */
public final class ModelRegistry implements AutoCloseable {
    private static final int MAX_CAS_ATTEMPTS = 200;

    private final ArtifactStore store;
    private final AuditLog audit;
    private final Clock clock;
    private final Map<String, ModelVersion> versionCache = new ConcurrentHashMap<>();

    public ModelRegistry(ArtifactStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
        this.audit = new AuditLog(store, clock);
    }

    public String location() {
        return store.location();
    }

    public AuditLog audit() {
        return audit;
    }

    // ---------------------------------------------------------------- register

    public ModelVersion register(RegisterRequest request, Caller caller, TransferListener listener) {
        String model = Names.model(request.model());
        Map<String, Path> files = resolveFiles(request.paths());
        validateMetrics(request.metrics());
        request.params().keySet().forEach(k -> Names.key("params", k));
        request.tags().keySet().forEach(k -> Names.key("tags", k));

        List<ModelFile> stored = new ArrayList<>();
        for (Map.Entry<String, Path> file : files.entrySet()) {
            stored.add(storeBlob(file.getKey(), file.getValue(), listener));
        }
        ensureModel(model, caller);

        int number = lastVersion(model) + 1;
        for (int attempt = 0; attempt < MAX_CAS_ATTEMPTS * 10; attempt++, number++) {
            ModelVersion version = new ModelVersion(ModelVersion.SCHEMA, model, number,
                    request.format() == null || request.format().isBlank() ? "unknown" : request.format(),
                    request.description(), stored, request.metrics(), request.params(), request.tags(),
                    request.lineage(), clock.instant(), caller.user());
            try {
                store.create(versionKey(model, number), Json.toBytes(version));
            } catch (ConflictException taken) {
                continue;
            }
            versionCache.put(versionKey(model, number), version);
            Map<String, String> details = new LinkedHashMap<>();
            details.put("files", String.valueOf(stored.size()));
            details.put("bytes", String.valueOf(version.totalBytes()));
            if (request.lineage() != null && request.lineage().git() != null && request.lineage().git().commit() != null) {
                details.put("git", request.lineage().git().commit());
            }
            audit.append(new AuditRecord(caller.user(), "register", "model/" + version.ref(), request.reason(),
                    caller.build().describe(), details));
            return version;
        }
        throw new StorageUnavailableException("could not allocate a version of " + model + " in " + store.location() + "; retry");
    }

    private Map<String, Path> resolveFiles(List<Path> paths) {
        if (paths.isEmpty()) {
            throw new InvalidInputException("files: no model files given; pass the model file(s) or folder to register");
        }
        Map<String, Path> files = new LinkedHashMap<>();
        for (Path path : paths) {
            if (!Files.exists(path)) {
                throw new InvalidInputException("files: " + path + " does not exist; check the path (relative paths start at the working directory)");
            }
            if (Files.isDirectory(path)) {
                try (Stream<Path> walk = Files.walk(path)) {
                    for (Path file : walk.filter(Files::isRegularFile).sorted().toList()) {
                        addFile(files, path.relativize(file).toString().replace('\\', '/'), file);
                    }
                } catch (IOException e) {
                    throw new InvalidInputException("files: cannot read folder " + path + " (" + e.getMessage() + "); check its permissions");
                }
            } else {
                addFile(files, path.getFileName().toString(), path);
            }
        }
        if (files.isEmpty()) {
            throw new InvalidInputException("files: " + paths + " contain no files; pass the model file(s) to register");
        }
        return files;
    }

    private static void addFile(Map<String, Path> files, String name, Path file) {
        if (!Files.isReadable(file)) {
            throw new InvalidInputException("files: " + file + " is not readable; fix its permissions");
        }
        if (files.putIfAbsent(name, file) != null) {
            throw new InvalidInputException("files: two files are both named '" + name + "' (" + files.get(name) + ", " + file
                    + "); register a folder to keep their paths apart, or rename one");
        }
    }

    private static void validateMetrics(Map<String, Double> metrics) {
        metrics.forEach((name, value) -> {
            Names.key("metrics", name);
            if (value == null || !Double.isFinite(value)) {
                throw new InvalidInputException("metrics." + name + ": " + value + " is not a finite number; pass a number such as " + name + "=0.93");
            }
        });
    }

    private ModelFile storeBlob(String name, Path file, TransferListener listener) {
        String sha256 = sha256(file);
        long size;
        try {
            size = Files.size(file);
        } catch (IOException e) {
            throw new InvalidInputException("files: cannot read " + file + " (" + e.getMessage() + ")");
        }
        String key = blobKey(sha256);
        if (!store.exists(key)) {
            store.upload(key, file, (k, done, total) -> listener.progress(name, done, total));
        } else {
            listener.progress(name, size, size);
        }
        return new ModelFile(name, sha256, size);
    }

    private void ensureModel(String model, Caller caller) {
        if (store.exists(modelKey(model))) {
            return;
        }
        RegisteredModel fresh = new RegisteredModel(RegisteredModel.SCHEMA, model, clock.instant(), caller.user(),
                Map.of(), List.of(), null);
        try {
            store.create(modelKey(model), Json.toBytes(fresh));
            audit.append(new AuditRecord(caller.user(), "create-model", "model/" + model, null, caller.build().describe(), Map.of()));
        } catch (ConflictException createdConcurrently) {
            // another registration created it first
        }
    }

    // ---------------------------------------------------------------- read

    public List<RegisteredModel> models() {
        List<RegisteredModel> models = new ArrayList<>();
        for (String key : store.list("models/")) {
            if (key.endsWith("/model.json")) {
                store.read(key).ifPresent(o -> models.add(Json.fromBytes(o.content(), RegisteredModel.class)));
            }
        }
        models.sort(Comparator.comparing(RegisteredModel::name));
        return models;
    }

    public RegisteredModel model(String name) {
        Names.model(name);
        return store.read(modelKey(name)).map(o -> Json.fromBytes(o.content(), RegisteredModel.class))
                .orElseThrow(() -> new NotFoundException("model: '" + name + "' is not registered in " + store.location()
                        + "; list models with `mlops models list`"));
    }

    /** All versions of a model, oldest first, with their aliases and archived state. */
    public List<VersionView> versions(String name) {
        RegisteredModel model = model(name);
        List<VersionView> views = new ArrayList<>();
        for (String key : store.list(versionPrefix(name))) {
            ModelVersion version = readVersion(key);
            views.add(new VersionView(version, model.aliasesOf(version.version()), model.isArchived(version.version())));
        }
        return views;
    }

    public ModelVersion get(ModelRef ref) {
        RegisteredModel model = model(ref.model());
        if (ref.alias() != null) {
            return version(ref.model(), aliasOf(model, ref.alias()).version());
        }
        if (ref.version() != null) {
            return version(ref.model(), ref.version());
        }
        List<String> keys = store.list(versionPrefix(ref.model()));
        for (int i = keys.size() - 1; i >= 0; i--) {
            ModelVersion version = readVersion(keys.get(i));
            if (!model.isArchived(version.version())) {
                return version;
            }
        }
        throw new NotFoundException("model: '" + ref.model() + "' has no live version; register one with `mlops register`");
    }

    /** Where {@code alias} of model {@code name} points; NotFoundException naming the aliases that exist. */
    public AliasPointer alias(String name, String alias) {
        Names.alias(alias);
        return aliasOf(model(name), alias);
    }

    private static AliasPointer aliasOf(RegisteredModel model, String alias) {
        return model.alias(alias).orElseThrow(() -> new NotFoundException("alias: '" + alias + "' is not set on model " + model.name()
                + " (aliases: " + String.join(", ", model.aliases().keySet()) + "); set it with `mlops alias set "
                + model.name() + " " + alias + " VERSION`"));
    }

    public ModelVersion version(String name, int number) {
        String key = versionKey(name, number);
        ModelVersion cached = versionCache.get(key);
        if (cached != null) {
            return cached;
        }
        if (!store.exists(key)) {
            throw new NotFoundException("version: " + name + ":" + number + " does not exist (latest is " + lastVersion(name)
                    + "); list versions with `mlops models show " + name + "`");
        }
        return readVersion(key);
    }

    public List<VersionView> search(VersionQuery query) {
        Pattern glob = query.model() == null ? null : globToRegex(query.model());
        List<VersionView> found = new ArrayList<>();
        for (RegisteredModel model : models()) {
            if (glob != null && !glob.matcher(model.name()).matches()) {
                continue;
            }
            Integer aliased = query.alias() == null ? null
                    : model.alias(query.alias()).map(AliasPointer::version).orElse(-1);
            for (String key : store.list(versionPrefix(model.name()))) {
                ModelVersion version = readVersion(key);
                boolean archived = model.isArchived(version.version());
                if (archived && !query.includeArchived()) {
                    continue;
                }
                if (aliased != null && aliased != version.version()) {
                    continue;
                }
                if (!query.tags().entrySet().stream().allMatch(t -> t.getValue().equals(version.tags().get(t.getKey())))) {
                    continue;
                }
                if (!query.metrics().stream().allMatch(f -> f.test(version))) {
                    continue;
                }
                found.add(new VersionView(version, model.aliasesOf(version.version()), archived));
            }
        }
        return found;
    }

    // ---------------------------------------------------------------- aliases and archive

    /**
     * Points {@code alias} at {@code version}. With {@code expectedCurrent} (0 = "must not be set
     * yet"), the move happens only if the alias still points where the caller last saw it.
     */
    public AliasChange setAlias(String name, String alias, int version, Integer expectedCurrent, Caller caller, String reason) {
        Names.alias(alias);
        version(name, version);
        AliasChange[] change = new AliasChange[1];
        updateModel(name, model -> {
            if (model.isArchived(version)) {
                throw new ConflictException("version: " + name + ":" + version + " is archived; an alias cannot point at it — pick a live version");
            }
            Integer current = model.alias(alias).map(AliasPointer::version).orElse(null);
            checkExpected(name, alias, current, expectedCurrent);
            change[0] = new AliasChange(alias, current, version, clock.instant(), caller.user(), reason, caller.build().describe());
            return model.withAlias(alias, new AliasPointer(version, change[0].at(), caller.user(), reason), change[0]);
        });
        Map<String, String> details = new LinkedHashMap<>();
        details.put("alias", alias);
        if (change[0].fromVersion() != null) {
            details.put("from", String.valueOf(change[0].fromVersion()));
        }
        details.put("to", String.valueOf(version));
        audit.append(new AuditRecord(caller.user(), "set-alias", "model/" + name + "@" + alias, reason, caller.build().describe(), details));
        return change[0];
    }

    public AliasChange deleteAlias(String name, String alias, Integer expectedCurrent, Caller caller, String reason) {
        Names.alias(alias);
        AliasChange[] change = new AliasChange[1];
        updateModel(name, model -> {
            Integer current = model.alias(alias).map(AliasPointer::version).orElseThrow(() -> new NotFoundException(
                    "alias: '" + alias + "' is not set on model " + name + "; nothing to delete"));
            checkExpected(name, alias, current, expectedCurrent);
            change[0] = new AliasChange(alias, current, null, clock.instant(), caller.user(), reason, caller.build().describe());
            return model.withAlias(alias, null, change[0]);
        });
        audit.append(new AuditRecord(caller.user(), "delete-alias", "model/" + name + "@" + alias, reason, caller.build().describe(),
                Map.of("alias", alias, "from", String.valueOf(change[0].fromVersion()))));
        return change[0];
    }

    private static void checkExpected(String name, String alias, Integer current, Integer expected) {
        if (expected == null) {
            return;
        }
        int actual = current == null ? 0 : current;
        if (actual != expected) {
            throw new ConflictException("alias: " + name + "@" + alias + " points at " + (current == null ? "nothing" : "version " + current)
                    + ", not " + (expected == 0 ? "nothing" : "version " + expected) + " as expected; someone moved it — re-read and retry");
        }
    }

    public ModelVersion archive(String name, int version, Caller caller, String reason) {
        ModelVersion archived = version(name, version);
        updateModel(name, model -> {
            List<String> aliases = model.aliasesOf(version);
            if (!aliases.isEmpty()) {
                throw new ConflictException("version: " + name + ":" + version + " is still the target of alias(es) " + String.join(", ", aliases)
                        + "; move or delete them first (`mlops alias set|rm`)");
            }
            return model.withArchived(version);
        });
        audit.append(new AuditRecord(caller.user(), "archive", "model/" + name + ":" + version, reason, caller.build().describe(), Map.of()));
        return archived;
    }

    private void updateModel(String name, UnaryOperator<RegisteredModel> change) {
        for (int attempt = 0; attempt < MAX_CAS_ATTEMPTS; attempt++) {
            StoredObject current = store.read(modelKey(name)).orElseThrow(() -> new NotFoundException("model: '" + name
                    + "' is not registered in " + store.location() + "; list models with `mlops models list`"));
            RegisteredModel next = change.apply(Json.fromBytes(current.content(), RegisteredModel.class));
            try {
                store.replace(modelKey(name), Json.toBytes(next), current.etag());
                return;
            } catch (ConflictException concurrentUpdate) {
                // re-read and re-apply the change to the newer state
            }
        }
        throw new ConflictException("model: " + name + " is being changed by too many writers at once; retry");
    }

    // ---------------------------------------------------------------- download

    /** Downloads every file of the version into {@code directory}, verifying SHA-256 before it appears. */
    public DownloadResult download(ModelRef ref, Path directory, TransferListener listener) {
        ModelVersion version = get(ref);
        List<Path> written = new ArrayList<>();
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new InvalidInputException("output: cannot create " + directory + " (" + e.getMessage() + "); pick a writable folder");
        }
        for (ModelFile file : version.files()) {
            Path target = directory.resolve(file.path()).normalize();
            if (!target.startsWith(directory.normalize())) {
                throw new IntegrityException("version " + version.ref() + " names a file outside its folder: " + file.path());
            }
            Path tmp = target.resolveSibling("." + target.getFileName() + "." + UUID.randomUUID() + ".part");
            try {
                Files.createDirectories(target.getParent());
                store.download(blobKey(file.sha256()), tmp, (k, done, total) -> listener.progress(file.path(), done, total));
                String actual = sha256(tmp);
                if (!actual.equals(file.sha256())) {
                    throw new IntegrityException("file " + file.path() + " of " + version.ref() + ": SHA-256 mismatch (expected "
                            + file.sha256() + ", got " + actual + "); the stored copy is damaged — do not deploy it, re-register the model");
                }
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                written.add(target);
            } catch (IOException e) {
                throw new InvalidInputException("output: cannot write " + target + " (" + e.getMessage() + "); pick a writable folder");
            } finally {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // leftover .part file is clearly named and never mistaken for the model
                }
            }
        }
        return new DownloadResult(version, directory, written);
    }

    /** The content of one (small) file of a version, SHA-256 verified; empty when the version has no such file. */
    public Optional<byte[]> readFile(ModelVersion version, String path) {
        Optional<ModelFile> file = version.files().stream().filter(f -> f.path().equals(path)).findFirst();
        if (file.isEmpty()) {
            return Optional.empty();
        }
        byte[] content = store.read(blobKey(file.get().sha256())).map(StoredObject::content)
                .orElseThrow(() -> new IntegrityException("file " + path + " of " + version.ref() + " is missing from " + store.location()
                        + "; the stored copy is damaged — re-register the model"));
        try {
            String actual = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
            if (!actual.equals(file.get().sha256())) {
                throw new IntegrityException("file " + path + " of " + version.ref() + ": SHA-256 mismatch (expected " + file.get().sha256()
                        + ", got " + actual + "); the stored copy is damaged — re-register the model");
            }
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        return Optional.of(content);
    }

    // ---------------------------------------------------------------- keys

    private ModelVersion readVersion(String key) {
        ModelVersion cached = versionCache.get(key);
        if (cached != null) {
            return cached;
        }
        ModelVersion version = store.read(key).map(o -> Json.fromBytes(o.content(), ModelVersion.class))
                .orElseThrow(() -> new NotFoundException("version record " + key + " vanished from " + store.location()));
        versionCache.put(key, version);
        return version;
    }

    private int lastVersion(String model) {
        List<String> keys = store.list(versionPrefix(model));
        if (keys.isEmpty()) {
            return 0;
        }
        String last = keys.get(keys.size() - 1);
        return Integer.parseInt(last.substring(versionPrefix(model).length(), last.length() - ".json".length()));
    }

    static String modelKey(String model) {
        return "models/" + model + "/model.json";
    }

    static String versionPrefix(String model) {
        return "models/" + model + "/versions/";
    }

    static String versionKey(String model, int version) {
        return versionPrefix(model) + String.format("%010d", version) + ".json";
    }

    static String blobKey(String sha256) {
        return "blobs/sha256/" + sha256.substring(0, 2) + "/" + sha256;
    }

    private static Pattern globToRegex(String glob) {
        StringBuilder regex = new StringBuilder();
        for (char c : glob.toCharArray()) {
            switch (c) {
                case '*' -> regex.append(".*");
                case '?' -> regex.append('.');
                default -> regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(regex.toString());
    }

    static String sha256(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[1 << 16];
            int n;
            while ((n = in.read(buffer)) > 0) {
                digest.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (IOException e) {
            throw new InvalidInputException("files: cannot read " + file + " (" + e.getMessage() + "); check the path and permissions");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        store.close();
    }

    /** For callers that only need a quick existence check. */
    public Optional<RegisteredModel> findModel(String name) {
        Names.model(name);
        return store.read(modelKey(name)).map(o -> Json.fromBytes(o.content(), RegisteredModel.class));
    }
}
