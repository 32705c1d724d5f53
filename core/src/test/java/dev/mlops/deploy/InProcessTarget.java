package dev.mlops.deploy;

import dev.mlops.registry.ModelRef;
import dev.mlops.registry.ModelRegistry;
import dev.mlops.serve.AdminToken;
import dev.mlops.serve.LogSettings;
import dev.mlops.serve.ModelServer;
import dev.mlops.serve.ModelSpec;
import dev.mlops.serve.PredictorFactory;
import dev.mlops.serve.ServerConfig;
import dev.mlops.serve.TrafficPolicy;
import dev.mlops.storage.TransferListener;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A deployment target running real model servers inside the test JVM, on 127.0.0.1 and any free
 * port, each with its admin listener. Traffic changes go through {@link LocalProcessTarget#setTraffic},
 * i.e. a real POST to the real admin endpoint.
 */
final class InProcessTarget implements DeploymentTarget, AutoCloseable {
    static final String TOKEN = "test-admin-token-0123456789";
    private final ModelRegistry registry;
    private final Path root;
    private final PredictorFactory loader;
    private final Map<String, ModelServer> servers = new ConcurrentHashMap<>();
    private final Map<String, Deployment> deployments = new ConcurrentHashMap<>();
    private final LocalProcessTarget admin;

    InProcessTarget(ModelRegistry registry, Path root, PredictorFactory loader) {
        this.registry = registry;
        this.root = root;
        this.loader = loader;
        this.admin = new LocalProcessTarget(root.resolve("unused"), List.of("unused"), Duration.ofSeconds(1), TOKEN, Clock.systemUTC());
    }

    ModelServer server(String stage) {
        return servers.get(stage);
    }

    @Override
    public Deployment deploy(String model, int version, String stage, int port) {
        return start(model, version, null, stage);
    }

    @Override
    public Deployment deployWithCanary(String model, int primary, int canary, String stage, int port) {
        find(stage).ifPresent(this::stop);
        return start(model, primary, canary, stage);
    }

    @Override
    public Optional<Path> inferenceLog(Deployment deployment) {
        return Optional.of(root.resolve(deployment.stage()).resolve("inference"));
    }

    private Deployment start(String model, int version, Integer canary, String stage) {
        ServerConfig.Builder config = ServerConfig.builder().optPort(0).optAdmin(0, AdminToken.of(TOKEN))
                .optLog(LogSettings.defaults(root.resolve(stage).resolve("inference")))
                .addModel(new ModelSpec(model, version, download(model, version, stage)));
        TrafficPolicy policy = TrafficPolicy.primaryOnly(model, version);
        if (canary != null) {
            config.addModel(new ModelSpec(model, canary, download(model, canary, stage)));
            policy = policy.withCanary(canary, 0);
        }
        ModelServer server = ModelServer.start(config.optPolicy(policy).build(), loader);
        server.awaitReady(Duration.ofSeconds(10));
        Deployment d = new Deployment(stage, model, version, URI.create(server.baseUri().replaceAll("/?$", "/")), -1, server.adminPort(),
                null, Instant.now());
        servers.put(stage, server);
        deployments.put(stage, d);
        return d;
    }

    private Path download(String model, int version, String stage) {
        Path dir = root.resolve(stage).resolve("cache").resolve(model + "-" + version);
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
        admin.setTraffic(deployment, policy);
    }

    @Override
    public void close() {
        deployments.values().forEach(this::stop);
    }
}
