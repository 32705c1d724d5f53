package dev.mlops.cli;

import dev.mlops.json.Json;
import dev.mlops.model.ModelLoader;
import dev.mlops.registry.ModelRegistry;
import dev.mlops.serve.AdminToken;
import dev.mlops.serve.HttpStack;
import dev.mlops.serve.LogSettings;
import dev.mlops.serve.ModelServer;
import dev.mlops.serve.ModelSpec;
import dev.mlops.serve.PredictorFactory;
import dev.mlops.serve.RegistryPlan;
import dev.mlops.serve.RegistryVersions;
import dev.mlops.serve.ServeRequest;
import dev.mlops.serve.ServerConfig;
import dev.mlops.serve.SyntheticMlp;
import dev.mlops.serve.TrafficPolicy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "serve", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Serve registered models over the Open Inference Protocol (KServe v2 REST) until SIGTERM or Ctrl-C.",
                "Versions are downloaded from the registry (SHA-256 verified) into --cache-dir and loaded in the background:",
                "/v2/health/live answers at once, /v2/health/ready once every model has loaded. Prometheus metrics at /metrics.",
                "With MLOPS_ADMIN_TOKEN set, GET/POST /admin/traffic on 127.0.0.1:--admin-port changes the split at runtime,",
                "and GET/POST /admin/versions, DELETE /admin/versions/NAME/VERSION load and unload versions while serving.",
                "A port in use exits with code 2 and names the port."})
final class ServeCommand implements Callable<Integer> {
    private static final String JETTY_LOG_LEVEL = "org.slf4j.simpleLogger.log.org.eclipse.jetty";
    private final Context context;
    @Mixin
    RegistryOptions registry = new RegistryOptions();
    @Option(names = "--model", paramLabel = "MODEL", description = "NAME, NAME:VERSION or NAME@ALIAS; the primary version (repeat for several models)")
    List<String> models = new ArrayList<>();
    @Option(names = "--canary", paramLabel = "NAME:VERSION", description = "Canary version of one of the served models")
    String canary;
    @Option(names = "--canary-weight", paramLabel = "PERCENT", defaultValue = "10", description = "Share of requests the canary answers, 0..100 (default: ${DEFAULT-VALUE})")
    int canaryWeight;
    @Option(names = "--shadow", paramLabel = "NAME:VERSION", description = "Shadow version: scores every request too, never answers; both are logged")
    String shadow;
    @Option(names = "--cohort-header", paramLabel = "HEADER", description = "Sticky A/B: requests with this header go to a side by a stable hash of its value (e.g. x-cohort)")
    String cohortHeader;
    @Option(names = "--traffic-seed", paramLabel = "N", defaultValue = "0", description = "Seed of the weighted routing and of log sampling")
    long seed;
    @Option(names = "--host", defaultValue = ServerConfig.DEFAULT_HOST, description = "Address to listen on (default: ${DEFAULT-VALUE}; 0.0.0.0 for all)")
    String host;
    @Option(names = "--port", defaultValue = "8080", description = "Port of the inference listener (default: ${DEFAULT-VALUE}; 0 = any free port)")
    int port;
    @Option(names = "--admin-port", paramLabel = "PORT", description = "Port of the admin listener on 127.0.0.1 (default: --port + 1; needs MLOPS_ADMIN_TOKEN)")
    Integer adminPort;
    @Option(names = "--log-dir", paramLabel = "DIR", defaultValue = ".mlops/serve-logs", description = "Request/response log folder (default: ${DEFAULT-VALUE})")
    Path logDir;
    @Option(names = "--log-sample", paramLabel = "RATE", defaultValue = "1.0", description = "Fraction of requests logged, 0..1 (default: ${DEFAULT-VALUE})")
    double logSample;
    @Option(names = "--no-log", description = "Log no requests")
    boolean noLog;
    @Option(names = "--cache-dir", paramLabel = "DIR", defaultValue = ".mlops/serve-cache", description = "Where versions are downloaded (default: ${DEFAULT-VALUE})")
    Path cacheDir;
    @Option(names = "--threads", paramLabel = "N", description = "HTTP worker threads (default: 4 per core, at least 8)")
    Integer threads;
    @Option(names = "--max-body-bytes", paramLabel = "BYTES", defaultValue = "16777216", description = "Largest request body; larger is 413 (default: ${DEFAULT-VALUE})")
    int maxBodyBytes;
    @Option(names = "--drain-seconds", paramLabel = "S", defaultValue = "30", description = "On shutdown, how long requests in progress may finish (default: ${DEFAULT-VALUE})")
    int drainSeconds;
    @Option(names = "--load-timeout-seconds", paramLabel = "S", defaultValue = "600", description = "How long downloading and loading may take (default: ${DEFAULT-VALUE})")
    int loadTimeoutSeconds;
    @Option(names = "--http", paramLabel = "STACK", defaultValue = "JETTY", description = "HTTP stack: JETTY or JDK (for comparisons; default: ${DEFAULT-VALUE})")
    HttpStack http;
    @Option(names = "--json", description = "Print the startup line as JSON (schema mlops.serve/v1)")
    boolean json;
    @Option(names = "--synthetic", hidden = true, description = "Serve a built-in 10-feature MLP as model 'bench' (benchmarks; no registry)")
    boolean synthetic;

    /** How a downloaded folder becomes a predictor; tests replace it. */
    PredictorFactory loader = ModelLoader::load;

    ServeCommand(Context context) {
        this.context = context;
    }

    @Override
    public Integer call() throws InterruptedException {
        ModelServer server = start();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            context.err().println("mlops serve: shutting down (finishing requests in progress, flushing logs)");
            server.close();
            stopped.countDown();
        }, "mlops-serve-shutdown"));
        stopped.await();
        return 0;
    }

    /** Resolves the versions, binds the listeners (fails fast on a taken port), downloads and loads, and returns the ready server. */
    ModelServer start() {
        // Jetty logs its version and connectors at INFO through slf4j-simple; keep stderr for what matters
        if (System.getProperty(JETTY_LOG_LEVEL) == null) {
            System.setProperty(JETTY_LOG_LEVEL, "warn");
        }
        Optional<AdminToken> token = AdminToken.fromEnv(context.env());
        ServerConfig.Builder config = ServerConfig.builder().optHost(host).optPort(port).optHttp(http).optMaxBodyBytes(maxBodyBytes)
                .optDrainTimeout(Duration.ofSeconds(drainSeconds)).optEvents(event -> context.err().println("mlops serve: " + event));
        if (threads != null) {
            config.optThreads(threads);
        }
        token.ifPresent(t -> config.optAdmin(adminPort != null ? adminPort : port == 0 ? 0 : port + 1, t));
        if (!noLog) {
            config.optLog(LogSettings.defaults(context.workingDir().resolve(logDir)).withSampleRate(logSample).withSeed(seed));
        }
        Path cache = context.workingDir().resolve(cacheDir);
        if (synthetic) {
            config.addModel(new ModelSpec("bench", 1, cache.resolve("bench"), "mlops_synthetic"));
            return ready(ModelServer.start(config.build(), dir -> SyntheticMlp.bench()));
        }
        ServeRequest request = new ServeRequest(models, canary, canaryWeight, shadow, cohortHeader, seed, cache);
        try (ModelRegistry opened = registry.open(context)) {
            RegistryPlan plan = RegistryPlan.resolve(opened, request);
            // POST /admin/versions loads more versions later, opening the registry again for each
            RegistryVersions versions = new RegistryVersions(() -> registry.open(context), cache, loader, new Progress(context.err(), "download"));
            return ready(ModelServer.start(plan.applyTo(config).build(), plan.factory(opened, loader, new Progress(context.err(), "download")), versions));
        }
    }

    private ModelServer ready(ModelServer server) {
        try {
            server.awaitReady(Duration.ofSeconds(loadTimeoutSeconds));
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
        announce(server);
        return server;
    }

    private void announce(ModelServer server) {
        if (json) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("schema", "mlops.serve/v1");
            doc.put("url", server.baseUri());
            doc.put("port", server.port());
            doc.put("adminPort", server.adminPort());
            doc.put("policies", server.policies());
            doc.put("logDir", noLog ? null : context.workingDir().resolve(logDir).toString());
            context.out().println(Json.toString(doc));
            return;
        }
        List<String> parts = new ArrayList<>();
        for (TrafficPolicy p : server.policies()) {
            parts.add(p.model() + ":" + p.primary() + " (primary)");
            if (p.canary() != null) {
                parts.add(p.model() + ":" + p.canary() + " (canary " + p.canaryWeight() + "%" + (p.cohortHeader() == null ? "" : ", cohorts by " + p.cohortHeader()) + ")");
            }
            if (p.shadow() != null) {
                parts.add(p.model() + ":" + p.shadow() + " (shadow)");
            }
        }
        context.out().printf("Serving %s at %s%s; logs %s. Ctrl-C or SIGTERM stops gracefully.%n", String.join(", ", parts), server.baseUri(),
                server.adminPort() > 0 ? " (admin on 127.0.0.1:" + server.adminPort() + ")" : " (admin off: set " + AdminToken.ENV + ")",
                noLog ? "off" : "in " + context.workingDir().resolve(logDir) + " (sample " + logSample + ")");
        context.out().flush();
    }
}
