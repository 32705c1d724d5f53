package dev.mlops.deploy;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.BuildImageResultCallback;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotModifiedException;
import com.github.dockerjava.api.model.AccessMode;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Volume;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import dev.mlops.error.ConflictException;
import dev.mlops.error.InvalidInputException;
import dev.mlops.error.NotFoundException;
import dev.mlops.error.StorageUnavailableException;
import dev.mlops.serve.AdminToken;
import dev.mlops.serve.TrafficPolicy;
import dev.mlops.storage.AzureBlobArtifactStore;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Runs each stage as a Docker container of {@code mlops serve}, on the host network and bound to
 * 127.0.0.1, so traffic never leaves loopback. Nothing is pulled from a registry: the server image
 * is built {@code FROM} a base image the project builds itself from Debian packages
 * ({@code .ci/start-docker.sh}) plus the mlops CLI jar, and is tagged by the jar's SHA-256, so a
 * changed jar gives a new image and an unchanged one is built once.
 *
 * <p>Containers carry the labels {@value #MODEL}, {@value #VERSION}, {@value #STAGE}, which are the
 * only state: {@link #find} and {@link #stop} look them up. A local registry folder's content is
 * bind-mounted read-only; an {@code azblob://} registry gets its credentials through the container's
 * environment (never through arguments, never in a message). A deploy that does not become ready
 * puts the container's last log lines in the error, and removes the container; other stages are
 * never touched.
 */
public final class DockerTarget implements DeploymentTarget, AutoCloseable {
    public static final String MODEL = "dev.mlops.model";
    public static final String VERSION = "dev.mlops.version";
    public static final String STAGE = "dev.mlops.stage";
    /** Separates the containers of different deployment roots on one engine (default "default"). */
    public static final String NAMESPACE = "dev.mlops.namespace";
    static final String PORT = "dev.mlops.port";
    static final String ADMIN_PORT = "dev.mlops.admin-port";
    static final String CLI_SHA256 = "dev.mlops.cli-sha256";
    public static final String DEFAULT_BASE_IMAGE = "mlops/base-jre:bookworm";
    public static final String SERVER_REPOSITORY = "mlops/server";
    static final String REGISTRY_MOUNT = "/var/lib/mlops/registry";
    static final String LOG_MOUNT = "/var/lib/mlops/logs";
    private static final int LOG_TAIL_LINES = 20;
    /** The only variables of the caller's environment a container gets: what the Azure registry needs. */
    private static final List<String> REGISTRY_ENV = List.of(AzureBlobArtifactStore.ENV_CONNECTION_STRING, AzureBlobArtifactStore.ENV_ACCOUNT,
            AzureBlobArtifactStore.ENV_SAS_TOKEN, AzureBlobArtifactStore.ENV_ENDPOINT, AzureBlobArtifactStore.ENV_SERVICE_VERSION);

    private final Settings settings;
    private final DockerClient docker;
    private final ServerAdmin admin = new ServerAdmin(new ServerClient(Duration.ofSeconds(2)));

    /**
     * What a Docker target needs. Required: {@code dockerHost} (e.g. {@code unix:///tmp/mlops-docker/docker.sock}),
     * {@code cliJar} (the mlops fat jar copied into the image), {@code registry} (an absolute folder, or
     * {@code azblob://container/prefix}). Build with {@link #builder()}.
     */
    public record Settings(String dockerHost, Path cliJar, String registry, String baseImage, long memoryBytes, Duration healthTimeout,
                           String adminToken, Map<String, String> registryEnv, String namespace, Path logRoot, Clock clock) {
        public Settings {
            require(dockerHost, "docker host", "set DOCKER_HOST, e.g. unix:///tmp/mlops-docker/docker.sock (printed by .ci/start-docker.sh)");
            require(registry, "registry", "pass --registry (a folder or azblob://container/prefix)");
            if (cliJar == null || !Files.isRegularFile(cliJar)) {
                throw new InvalidInputException("docker.cliJar: " + cliJar + " is not a file; build the CLI with `mvn -pl cli -am package` and pass cli/target/mlops-<version>.jar");
            }
            if (!registry.startsWith("azblob:") && !Path.of(registry).isAbsolute()) {
                throw new InvalidInputException("registry: '" + registry + "' must be an absolute folder for a Docker target (it is bind-mounted); resolve it first");
            }
            if (memoryBytes < 64L << 20) {
                throw new InvalidInputException("docker.memory: " + memoryBytes + " bytes is below 64 MiB; a JVM model server needs about 512 MiB");
            }
            if (namespace == null || !namespace.matches("[a-z0-9][a-z0-9-]{0,31}")) {
                throw new InvalidInputException("docker.namespace: '" + namespace + "' is not a name; use lower-case letters, digits and '-'");
            }
            if (adminToken != null) {
                AdminToken.of(adminToken);
            }
            registryEnv = Map.copyOf(registryEnv);
        }

        public static Builder builder() {
            return new Builder();
        }

        private static void require(String value, String field, String fix) {
            if (value == null || value.isBlank()) {
                throw new InvalidInputException(field + ": missing; " + fix);
            }
        }

        @Override
        public String toString() {
            return "Settings[dockerHost=" + dockerHost + ", cliJar=" + cliJar + ", registry=" + registry + ", baseImage=" + baseImage
                    + ", memoryBytes=" + memoryBytes + ", namespace=" + namespace + "]";
        }
    }

    /** {@code set*} required, {@code opt*} optional. */
    public static final class Builder {
        private String dockerHost;
        private Path cliJar;
        private String registry;
        private String baseImage = DEFAULT_BASE_IMAGE;
        private long memoryBytes = 1L << 30;
        private Duration healthTimeout = Duration.ofSeconds(120);
        private String adminToken;
        private Map<String, String> env = Map.of();
        private String namespace = "default";
        private Path logRoot;
        private Clock clock = Clock.systemUTC();

        public Builder setDockerHost(String dockerHost) {
            this.dockerHost = dockerHost;
            return this;
        }

        public Builder setCliJar(Path cliJar) {
            this.cliJar = cliJar;
            return this;
        }

        public Builder setRegistry(String registry) {
            this.registry = registry;
            return this;
        }

        public Builder optBaseImage(String baseImage) {
            this.baseImage = baseImage;
            return this;
        }

        public Builder optMemoryBytes(long memoryBytes) {
            this.memoryBytes = memoryBytes;
            return this;
        }

        public Builder optHealthTimeout(Duration healthTimeout) {
            this.healthTimeout = healthTimeout;
            return this;
        }

        /** Turns the servers' admin listener on (port + 1), which {@link DockerTarget#setTraffic} needs. */
        public Builder optAdminToken(String adminToken) {
            this.adminToken = adminToken;
            return this;
        }

        /** The environment the registry credentials ({@code AZURE_STORAGE_*}) are taken from; nothing else of it is passed on. */
        public Builder optEnv(Map<String, String> env) {
            this.env = env;
            return this;
        }

        public Builder optNamespace(String namespace) {
            this.namespace = namespace;
            return this;
        }

        /** Where each stage's inference log is kept on the host ({@code LOGROOT/<stage>/inference}); default: inside the container. */
        public Builder optLogRoot(Path logRoot) {
            this.logRoot = logRoot;
            return this;
        }

        public Builder optClock(Clock clock) {
            this.clock = clock;
            return this;
        }

        public Settings build() {
            Map<String, String> registryEnv = new LinkedHashMap<>();
            if (registry != null && registry.startsWith("azblob:")) {
                for (String name : REGISTRY_ENV) {
                    if (env.get(name) != null) {
                        registryEnv.put(name, env.get(name));
                    }
                }
            }
            return new Settings(dockerHost, cliJar, registry, baseImage, memoryBytes, healthTimeout, adminToken, registryEnv, namespace, logRoot,
                    clock);
        }
    }

    public DockerTarget(Settings settings) {
        this.settings = settings;
        DefaultDockerClientConfig config = DefaultDockerClientConfig.createDefaultConfigBuilder().withDockerHost(settings.dockerHost()).build();
        ZerodepDockerHttpClient http = new ZerodepDockerHttpClient.Builder().dockerHost(config.getDockerHost()).sslConfig(config.getSSLConfig())
                .connectionTimeout(Duration.ofSeconds(5)).responseTimeout(Duration.ofMinutes(5)).build();
        this.docker = DockerClientImpl.getInstance(config, http);
    }

    @Override
    public Deployment deploy(String model, int version, String stage, int port) {
        requireStage(stage);
        Optional<Deployment> running = find(stage);
        if (running.isPresent()) {
            throw new ConflictException("stage: " + stage + " already runs " + running.get().model() + ":" + running.get().version()
                    + " in a container; stop it first or deploy to another stage");
        }
        return start(model, version, null, stage, port);
    }

    /**
     * Replaces the stage's container by one serving {@code primary} with {@code canary} beside it at
     * weight 0 (a server loads its versions at start), on the port the stage already uses. When the
     * new container does not become ready, the previous deployment is started again and the error
     * rethrown.
     */
    @Override
    public Deployment deployWithCanary(String model, int primary, int canary, String stage, int port) {
        requireStage(stage);
        if (settings.adminToken() == null) {
            throw new InvalidInputException("MLOPS_ADMIN_TOKEN: not set; a canary needs the servers' admin listener to move traffic;"
                    + " export MLOPS_ADMIN_TOKEN (16+ characters) and retry");
        }
        Optional<Deployment> running = find(stage);
        if (running.isPresent() && !running.get().model().equals(model)) {
            throw new ConflictException("stage: " + stage + " runs " + running.get().model() + ":" + running.get().version()
                    + ", not " + model + "; stop it first or deploy to another stage");
        }
        int onPort = running.map(d -> d.url().getPort()).orElse(port);
        running.ifPresent(this::stop);
        try {
            return start(model, primary, canary, stage, onPort);
        } catch (RuntimeException failed) {
            running.ifPresent(previous -> {
                try {
                    start(previous.model(), previous.version(), null, stage, onPort);
                } catch (RuntimeException restoring) {
                    failed.addSuppressed(restoring);
                }
            });
            throw failed;
        }
    }

    /** The stage's inference log folder on the host, when {@link Builder#optLogRoot} was given. */
    @Override
    public Optional<Path> inferenceLog(Deployment deployment) {
        return Optional.ofNullable(settings.logRoot()).map(root -> root.resolve(deployment.stage()).resolve("inference"));
    }

    private Deployment start(String model, int version, Integer canary, String stage, int port) {
        int adminPort = port + 1;
        LoopbackPorts.requireFree(port, "port");
        if (settings.adminToken() != null) {
            LoopbackPorts.requireFree(adminPort, "admin port");
        }
        String image = serverImage();
        removeExited(stage);
        Instant startedAt = settings.clock().instant();
        String id = call("create the container of " + stage, () -> docker.createContainerCmd(image)
                .withLabels(labels(model, version, stage, port, adminPort))
                .withEnv(containerEnv())
                .withCmd(serveArgs(model, version, canary, port, adminPort))
                .withHostConfig(hostConfig(stage))
                .exec().getId());
        URI url = URI.create("http://127.0.0.1:" + port + "/");
        ServerAdmin.Readiness readiness;
        try {
            run("start the container of " + stage, () -> docker.startContainerCmd(id).exec());
            readiness = admin.awaitReady(url, settings.healthTimeout(), () -> exited(id));
        } catch (RuntimeException e) {
            remove(id);
            throw e;
        }
        if (!readiness.ready()) {
            String logs = logTail(id);
            remove(id);
            throw new DeployException("deploy: " + model + ":" + version + " to " + stage + " " + readiness.reason()
                    + "; the container was removed. Last log lines:\n" + logs);
        }
        return new Deployment(stage, model, version, url, -1, settings.adminToken() == null ? null : adminPort, null, startedAt);
    }

    @Override
    public Optional<Deployment> find(String stage) {
        requireStage(stage);
        return containers(stage).stream().filter(c -> "running".equals(c.getState())).map(this::deployment).findFirst();
    }

    /** Stops and removes the container of this deployment (matched by its stage, model and version labels). */
    @Override
    public void stop(Deployment deployment) {
        for (Container c : containers(deployment.stage())) {
            Map<String, String> labels = c.getLabels();
            if (deployment.model().equals(labels.get(MODEL)) && String.valueOf(deployment.version()).equals(labels.get(VERSION))) {
                remove(c.getId());
            }
        }
    }

    @Override
    public void setTraffic(Deployment deployment, TrafficPolicy policy) {
        admin.setTraffic(deployment, policy, settings.adminToken());
    }

    /** The server image for this CLI jar, built when the engine does not have it yet. */
    public String serverImage() {
        String sha = sha256(settings.cliJar());
        String tag = SERVER_REPOSITORY + ":" + sha.substring(0, 16);
        if (imageExists(tag)) {
            return tag;
        }
        if (!imageExists(settings.baseImage())) {
            throw new NotFoundException("docker: base image " + settings.baseImage() + " is not on the engine at " + settings.dockerHost()
                    + "; build it from Debian packages with .ci/start-docker.sh (no registry pull)");
        }
        Path context = null;
        try {
            context = Files.createTempDirectory("mlops-image");
            Path jar = context.resolve("mlops.jar");
            try {
                Files.createLink(jar, settings.cliJar());
            } catch (IOException | UnsupportedOperationException e) {
                Files.copy(settings.cliJar(), jar);
            }
            Files.writeString(context.resolve("Dockerfile"), dockerfile(settings.baseImage()));
            Path dir = context;
            call("build " + tag, () -> docker.buildImageCmd(dir.toFile()).withPull(false).withTags(Set.of(tag))
                    .withLabels(Map.of(CLI_SHA256, sha)).exec(new BuildImageResultCallback()).awaitImageId(10, TimeUnit.MINUTES));
            removeOtherServerImages(tag);
            return tag;
        } catch (IOException e) {
            throw new StorageUnavailableException("docker: cannot prepare the build context of " + tag + " (" + e.getMessage() + ")");
        } finally {
            deleteTree(context);
        }
    }

    /** Images of earlier jars are 500 MB each; those no container uses go (the engine refuses the others, which is fine). */
    private void removeOtherServerImages(String keep) {
        for (var image : docker.listImagesCmd().withImageNameFilter(SERVER_REPOSITORY).exec()) {
            if (image.getRepoTags() != null && List.of(image.getRepoTags()).contains(keep)) {
                continue;
            }
            try {
                docker.removeImageCmd(image.getId()).exec();
            } catch (DockerException e) {
                // still used by a container
            }
        }
    }

    static String dockerfile(String baseImage) {
        return "FROM " + baseImage + "\n"
                + "COPY mlops.jar /opt/mlops/mlops.jar\n"
                + "WORKDIR /var/lib/mlops\n"
                + "ENV DJL_OFFLINE=true DJL_CACHE_DIR=/var/lib/mlops/djl\n"
                + "ENTRYPOINT [\"java\", \"-XX:MaxRAMPercentage=50\", \"-Dai.djl.offline=true\", \"-jar\", \"/opt/mlops/mlops.jar\", \"serve\"]\n";
    }

    List<String> serveArgs(String model, int version, Integer canary, int port, int adminPort) {
        List<String> args = new ArrayList<>(List.of("--model", model + ":" + version, "--host", "127.0.0.1", "--port", String.valueOf(port),
                "--registry", settings.registry().startsWith("azblob:") ? settings.registry() : REGISTRY_MOUNT,
                "--log-dir", LOG_MOUNT, "--cache-dir", "/var/lib/mlops/cache"));
        if (settings.adminToken() != null) {
            args.addAll(List.of("--admin-port", String.valueOf(adminPort)));
        }
        if (canary != null) {
            args.addAll(List.of("--canary", model + ":" + canary, "--canary-weight", "0"));
        }
        return args;
    }

    private Map<String, String> labels(String model, int version, String stage, int port, int adminPort) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(MODEL, model);
        labels.put(VERSION, String.valueOf(version));
        labels.put(STAGE, stage);
        labels.put(NAMESPACE, settings.namespace());
        labels.put(PORT, String.valueOf(port));
        if (settings.adminToken() != null) {
            labels.put(ADMIN_PORT, String.valueOf(adminPort));
        }
        return labels;
    }

    private List<String> containerEnv() {
        List<String> env = new ArrayList<>();
        settings.registryEnv().forEach((k, v) -> env.add(k + "=" + v));
        if (settings.adminToken() != null) {
            env.add(AdminToken.ENV + "=" + settings.adminToken());
        }
        return env;
    }

    private HostConfig hostConfig(String stage) {
        List<Bind> binds = new ArrayList<>();
        if (!settings.registry().startsWith("azblob:")) {
            binds.addAll(registryBinds(Path.of(settings.registry())));
        }
        if (settings.logRoot() != null) {
            Path logs = settings.logRoot().resolve(stage).resolve("inference").toAbsolutePath();
            try {
                Files.createDirectories(logs);
            } catch (IOException e) {
                throw new StorageUnavailableException("deploy: cannot create the log folder " + logs + " (" + e.getMessage() + ")");
            }
            binds.add(new Bind(logs.toString(), new Volume(LOG_MOUNT), AccessMode.rw));
        }
        return HostConfig.newHostConfig().withNetworkMode("host").withMemory(settings.memoryBytes()).withMemorySwap(settings.memoryBytes())
                .withBinds(binds);
    }

    /**
     * The registry's content, read-only. The local store insists on a writable root (for its
     * temp and lock folders), so the root is the container's own folder and every entry in it but
     * those two is bound read-only; the server only reads.
     */
    static List<Bind> registryBinds(Path registry) {
        if (!Files.isDirectory(registry)) {
            throw new NotFoundException("registry: " + registry + " is not a folder; register a model first or pass --registry");
        }
        List<Bind> binds = new ArrayList<>();
        try (var entries = Files.list(registry)) {
            for (Path entry : entries.sorted().toList()) {
                String name = entry.getFileName().toString();
                if (!name.equals(".tmp") && !name.equals(".locks")) {
                    binds.add(new Bind(entry.toAbsolutePath().toString(), new Volume(REGISTRY_MOUNT + "/" + name), AccessMode.ro));
                }
            }
        } catch (IOException e) {
            throw new StorageUnavailableException("registry: cannot list " + registry + " (" + e.getMessage() + ")");
        }
        return binds;
    }

    private List<Container> containers(String stage) {
        return call("list the containers of " + stage, () -> docker.listContainersCmd().withShowAll(true)
                .withLabelFilter(Map.of(STAGE, stage, NAMESPACE, settings.namespace())).exec());
    }

    private Deployment deployment(Container c) {
        Map<String, String> labels = c.getLabels();
        String adminPort = labels.get(ADMIN_PORT);
        return new Deployment(labels.get(STAGE), labels.get(MODEL), Integer.parseInt(labels.get(VERSION)),
                URI.create("http://127.0.0.1:" + labels.get(PORT) + "/"), -1, adminPort == null ? null : Integer.valueOf(adminPort), null,
                Instant.ofEpochSecond(c.getCreated()));
    }

    private void removeExited(String stage) {
        containers(stage).stream().filter(c -> !"running".equals(c.getState())).sorted(Comparator.comparing(Container::getId))
                .forEach(c -> remove(c.getId()));
    }

    private Optional<String> exited(String id) {
        InspectContainerResponse.ContainerState state = call("inspect container " + id, () -> docker.inspectContainerCmd(id).exec().getState());
        if (Boolean.TRUE.equals(state.getRunning())) {
            return Optional.empty();
        }
        boolean oom = Boolean.TRUE.equals(state.getOOMKilled());
        return Optional.of("exited with code " + state.getExitCodeLong() + (oom ? " (out of memory: raise the memory limit of "
                + (settings.memoryBytes() >> 20) + " MiB)" : "") + " before it was ready");
    }

    private String logTail(String id) {
        StringBuilder text = new StringBuilder();
        try {
            docker.logContainerCmd(id).withStdOut(true).withStdErr(true).withTail(LOG_TAIL_LINES).exec(new ResultCallback.Adapter<Frame>() {
                @Override
                public void onNext(Frame frame) {
                    text.append(new String(frame.getPayload(), StandardCharsets.UTF_8));
                }
            }).awaitCompletion(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            return "(the logs could not be read: " + e.getMessage() + ")";
        }
        return text.toString().strip();
    }

    private void remove(String id) {
        try {
            docker.stopContainerCmd(id).withTimeout(10).exec();
        } catch (NotModifiedException | com.github.dockerjava.api.exception.NotFoundException e) {
            // already stopped, or already gone
        }
        try {
            docker.removeContainerCmd(id).withForce(true).exec();
        } catch (com.github.dockerjava.api.exception.NotFoundException e) {
            // removed meanwhile
        }
    }

    private boolean imageExists(String image) {
        try {
            docker.inspectImageCmd(image).exec();
            return true;
        } catch (com.github.dockerjava.api.exception.NotFoundException e) {
            return false;
        } catch (RuntimeException e) {
            throw unavailable("inspect image " + image, e);
        }
    }

    private <T> T call(String what, java.util.function.Supplier<T> action) {
        try {
            return action.get();
        } catch (DockerException e) {
            throw new DeployException("docker: cannot " + what + " (HTTP " + e.getHttpStatus() + ": " + String.valueOf(e.getMessage()).strip() + ")");
        } catch (RuntimeException e) {
            if (e instanceof dev.mlops.error.MlopsException) {
                throw e;
            }
            throw unavailable(what, e);
        }
    }

    private void run(String what, Runnable action) {
        call(what, () -> {
            action.run();
            return null;
        });
    }

    private StorageUnavailableException unavailable(String what, RuntimeException e) {
        return new StorageUnavailableException("docker: cannot " + what + " on " + settings.dockerHost() + " (" + e.getMessage()
                + "); is the engine running? Start it with .ci/start-docker.sh and export the DOCKER_HOST it prints");
    }

    private static void requireStage(String stage) {
        if (stage == null || !stage.matches("[a-z0-9][a-z0-9-]{0,31}")) {
            throw new InvalidInputException("stage: '" + stage + "' is not a stage name; use e.g. staging, canary or production");
        }
    }

    private static String sha256(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (IOException e) {
            throw new StorageUnavailableException("docker: cannot read the CLI jar " + file + " (" + e.getMessage() + ")");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void deleteTree(Path dir) {
        if (dir == null) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a leftover temp folder is harmless
        }
    }

    @Override
    public void close() {
        try {
            docker.close();
        } catch (IOException e) {
            // nothing left to release
        }
    }
}
