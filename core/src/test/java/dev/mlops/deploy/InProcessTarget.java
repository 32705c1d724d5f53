package dev.mlops.deploy;

import dev.mlops.registry.ModelRef;
import dev.mlops.registry.ModelRegistry;
import dev.mlops.serve.AdminToken;
import dev.mlops.serve.LogSettings;
import dev.mlops.serve.ModelServer;
import dev.mlops.serve.ModelSpec;
import dev.mlops.serve.PredictorFactory;
import dev.mlops.serve.RegistryVersions;
import dev.mlops.serve.ServerConfig;
import dev.mlops.serve.TrafficPolicy;
import dev.mlops.storage.TransferListener;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * A deployment target running real model servers inside the test JVM, on 127.0.0.1 and any free
 * port, each with its admin listener and the registry as its {@link RegistryVersions source}.
 * Canaries, traffic changes and unloads go through {@link ServerAdmin}, i.e. real requests to the
 * real admin endpoints, as {@link LocalProcessTarget} sends them.
 */
final class InProcessTarget implements DeploymentTarget, AutoCloseable {
    static final String TOKEN = "test-admin-token-0123456789";
    private final ModelRegistry registry;
    private final Path root;
    private final PredictorFactory loader;
    private final Map<String, ModelServer> servers = new ConcurrentHashMap<>();
    private final Map<String, Deployment> deployments = new ConcurrentHashMap<>();
    private final Supplier<ModelRegistry> opener;
    private final ServerAdmin admin = new ServerAdmin(new ServerClient(Duration.ofSeconds(5)));

    /** @param opener opens the same registry again: what the servers load versions from while they run */
    InProcessTarget(ModelRegistry registry, Supplier<ModelRegistry> opener, Path root, PredictorFactory loader) {
        this.registry = registry;
        this.opener = opener;
        this.root = root;
        this.loader = loader;
    }

    ModelServer server(String stage) {
        return servers.get(stage);
    }

    @Override
    public Deployment deploy(String model, int version, String stage, int port) {
        return start(model, version, stage);
    }

    @Override
    public Deployment deployWithCanary(String model, int primary, int canary, String stage, int port) {
        Deployment running = find(stage).orElseGet(() -> start(model, primary, stage));
        return admin.addCanary(running, model, primary, canary, TOKEN, Duration.ofSeconds(10));
    }

    @Override
    public void unloadVersion(Deployment deployment, int version) {
        admin.unloadVersion(deployment, deployment.model(), version, TOKEN);
    }

    @Override
    public Optional<Path> inferenceLog(Deployment deployment) {
        return Optional.of(root.resolve(deployment.stage()).resolve("inference"));
    }

    private Deployment start(String model, int version, String stage) {
        ServerConfig.Builder config = ServerConfig.builder().optPort(0).optAdmin(0, AdminToken.of(TOKEN))
                .optLog(LogSettings.defaults(root.resolve(stage).resolve("inference")))
                .addModel(new ModelSpec(model, version, download(model, version, stage)));
        ModelServer server = ModelServer.start(config.build(), loader,
                new RegistryVersions(opener, root.resolve(stage).resolve("cache"), loader, TransferListener.NONE));
        server.awaitReady(Duration.ofSeconds(10));
        Deployment d = new Deployment(stage, model, version, URI.create(server.baseUri().replaceAll("/?$", "/")), -1, server.adminPort(),
                null, Instant.now());
        servers.put(stage, server);
        deployments.put(stage, d);
        return d;
    }

    private Path download(String model, int version, String stage) {
        Path dir = root.resolve(stage).resolve("cache").resolve(model).resolve(String.valueOf(version));
        registry.download(new ModelRef(model, version, null), dir, TransferListener.NONE);
        return dir;
    }

    @Override
    public Optional<Deployment> find(String stage) {
        return Optional.ofNullable(deployments.get(stage));
    }

    @Override
    public void stop(Deployment deployment) {
        deployments.remove(deployment.stage());
        ModelServer server = servers.remove(deployment.stage());
        if (server != null) {
            server.close();
        }
    }

    @Override
    public void setTraffic(Deployment deployment, TrafficPolicy policy) {
        admin.setTraffic(deployment, policy, TOKEN);
    }

    @Override
    public void close() {
        deployments.values().forEach(this::stop);
    }
}
