package dev.mlops.serve;

import dev.mlops.error.InvalidInputException;
import dev.mlops.error.MlopsException;
import dev.mlops.error.NotFoundException;
import dev.mlops.model.Predictor;
import java.io.IOException;
import java.net.BindException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * An Open Inference Protocol (KServe v2) model server: health, metadata and inference endpoints,
 * Prometheus metrics, sampled request/response logging, and traffic splitting (canary weight,
 * header pinning, sticky cohorts, shadow) that can be changed at runtime.
 *
 * <pre>
 * try (ModelServer server = ModelServer.start(config, ModelLoader::load)) {
 *     server.awaitReady(Duration.ofMinutes(2));
 *     server.updatePolicy(server.policy("churn").withCanary(4, 10));
 *     ...
 * }   // close(): graceful, see {@link #close()}
 * </pre>
 *
 * Listening starts at once ({@code /v2/health/live} answers); models load in the background and
 * {@code /v2/health/ready} answers 200 only when all have loaded.
 *
 * <p>With a {@link VersionSource}, more versions of a served model can be loaded while it runs
 * ({@link #loadVersion}, off the request threads; requests never see a half-loaded version) and
 * versions no policy routes to unloaded ({@link #unloadVersion}); the set of versions is swapped
 * as a whole, like the policies.
 */
public final class ModelServer implements AutoCloseable {
    public static final String NAME = "mlops-serve";

    private final ServerConfig config;
    /** Read-only snapshot, replaced whole under the server's lock when a version is loaded or unloaded. */
    private volatile Map<String, Map<Integer, ServedVersion>> models;
    private final VersionSource source;
    /** Versions loaded (or being loaded, or that failed to load) at runtime, by "model:version". */
    private final Map<String, VersionStatus> runtimeLoads = new ConcurrentHashMap<>();
    private final ThreadPoolExecutor versionLoader;
    private final TrafficRouter router;
    private final ServeMetrics metrics = new ServeMetrics();
    private final InferenceLog log;
    private final ThreadPoolExecutor shadowPool;
    private final V2Routes routes;
    private final CountDownLatch loaded = new CountDownLatch(1);
    private final Clock clock;
    private volatile RuntimeException loadFailure;
    private volatile boolean ready;
    private volatile boolean draining;
    private ServeTransport transport;
    private ServeTransport adminTransport;
    private boolean closed;

    private ModelServer(ServerConfig config, VersionSource source, Clock clock) {
        this.config = config;
        this.source = source;
        this.clock = clock;
        this.models = index(config, metrics);
        this.router = new TrafficRouter(policies(config, models));
        this.log = config.log() == null ? null : InferenceLog.open(config.log(), config.events());
        if (log != null) {
            metrics.register("mlops_serve_log_records_total", "counter", "Inference log records written.", log::written);
            metrics.register("mlops_serve_log_dropped_total", "counter", "Inference log records dropped because the writer queue was full.", log::dropped);
            metrics.register("mlops_serve_log_truncated_total", "counter", "Inference log records cut to the size limit.", log::truncated);
            metrics.register("mlops_serve_log_failed_total", "counter", "Inference log records lost to write errors.", log::failed);
        }
        this.shadowPool = new ThreadPoolExecutor(1, 1, 60, TimeUnit.SECONDS, new ArrayBlockingQueue<>(config.shadowQueue()), r -> {
            Thread t = new Thread(r, "mlops-serve-shadow");
            t.setDaemon(true);
            return t;
        }, (r, pool) -> metrics.shadowDropped());
        this.versionLoader = new ThreadPoolExecutor(1, 1, 60, TimeUnit.SECONDS, new ArrayBlockingQueue<>(16), r -> {
            Thread t = new Thread(r, "mlops-serve-version-loader");
            t.setDaemon(true);
            return t;
        });
        this.routes = new V2Routes(this);
    }

    /**
     * Binds the listeners and starts loading the models in the background. A port in use is an
     * {@link InvalidInputException} naming it and the fix.
     */
    public static ModelServer start(ServerConfig config, PredictorFactory factory) {
        return start(config, factory, Clock.systemUTC());
    }

    public static ModelServer start(ServerConfig config, PredictorFactory factory, Clock clock) {
        return start(config, factory, null, clock);
    }

    /**
     * Like {@link #start(ServerConfig, PredictorFactory)}; {@code versions} (or null) is where
     * {@link #loadVersion} finds versions to load at runtime.
     */
    public static ModelServer start(ServerConfig config, PredictorFactory factory, VersionSource versions) {
        return start(config, factory, versions, Clock.systemUTC());
    }

    public static ModelServer start(ServerConfig config, PredictorFactory factory, VersionSource versions, Clock clock) {
        ModelServer server = new ModelServer(config, versions, clock);
        try {
            server.transport = bind(config.http(), config.host(), config.port(), config.threads(), "mlops-serve-http", server.routes::handle, "port");
            if (config.adminToken() != null && config.adminPort() != null) {
                AdminRoutes admin = new AdminRoutes(server, config.adminToken());
                server.adminTransport = bind(config.http(), "127.0.0.1", config.adminPort(), 2, "mlops-serve-admin", admin::handle, "adminPort");
            }
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
        Thread loader = new Thread(() -> server.load(factory), "mlops-serve-loader");
        loader.setDaemon(true);
        loader.start();
        return server;
    }

    private static ServeTransport bind(HttpStack stack, String host, int port, int threads, String name, ServeTransport.Handler handler,
                                       String field) {
        try {
            return stack == HttpStack.JDK ? JdkTransport.start(host, port, threads, name, handler)
                    : JettyTransport.start(host, port, threads, name, handler);
        } catch (IOException e) {
            if (e instanceof BindException || e.getCause() instanceof BindException) {
                throw new InvalidInputException(field + ": " + host + ":" + port + " is already in use; stop the process holding it (e.g. `ss -ltnp 'sport = :"
                        + port + "'`) or pick another port (--" + (field.equals("port") ? "port" : "admin-port") + " N, or 0 for any free port)", e);
            }
            throw new InvalidInputException(field + ": cannot listen on " + host + ":" + port + " (" + e.getMessage()
                    + "); check --host is an address of this machine", e);
        }
    }

    private static Map<String, Map<Integer, ServedVersion>> index(ServerConfig config, ServeMetrics metrics) {
        Map<String, Map<Integer, ServedVersion>> index = new TreeMap<>();
        for (ModelSpec spec : config.models()) {
            Map<Integer, ServedVersion> versions = index.computeIfAbsent(spec.name(), n -> new TreeMap<>());
            if (versions.containsKey(spec.version())) {
                throw new InvalidInputException("models: " + spec.ref() + " is listed twice; serve each version once");
            }
            versions.put(spec.version(), new ServedVersion(spec, metrics.version(spec.name(), Integer.toString(spec.version()))));
        }
        // sorted and read-only: messages list models and versions in order
        index.replaceAll((name, versions) -> Collections.unmodifiableMap(versions));
        return Collections.unmodifiableMap(index);
    }

    private static List<TrafficPolicy> policies(ServerConfig config, Map<String, Map<Integer, ServedVersion>> models) {
        Map<String, TrafficPolicy> byModel = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        for (TrafficPolicy policy : config.policies()) {
            if (!models.containsKey(policy.model())) {
                problems.add("traffic." + policy.model() + ": no such model is served (served: " + String.join(", ", models.keySet()) + ")");
                continue;
            }
            problems.addAll(missingVersions(policy, models.get(policy.model())));
            byModel.put(policy.model(), policy);
        }
        for (Map.Entry<String, Map<Integer, ServedVersion>> model : models.entrySet()) {
            if (!byModel.containsKey(model.getKey())) {
                if (model.getValue().size() == 1) {
                    byModel.put(model.getKey(), TrafficPolicy.primaryOnly(model.getKey(), model.getValue().keySet().iterator().next()));
                } else {
                    problems.add("traffic." + model.getKey() + ": versions " + versions(model.getValue()) + " are served but no policy says which is primary; add one");
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidInputException(String.join("; ", problems));
        }
        return List.copyOf(byModel.values());
    }

    /** At startup: the policy may name only the versions given to load. */
    private static List<String> missingVersions(TrafficPolicy policy, Map<Integer, ServedVersion> served) {
        List<String> problems = new ArrayList<>();
        for (int v : policy.versions()) {
            if (!served.containsKey(v)) {
                problems.add("traffic." + policy.model() + ": version " + v + " (" + policy.roleOf(v) + ") is not loaded (loaded: "
                        + versions(served) + "); load it at startup or pick a loaded version");
            }
        }
        return problems;
    }

    /** While running: the policy may name only loaded versions; one still loading is named as such. */
    private static List<String> missingVersions(TrafficPolicy policy, Map<Integer, ServedVersion> served, Map<String, VersionStatus> loads) {
        List<String> problems = new ArrayList<>();
        for (int v : policy.versions()) {
            if (served.containsKey(v)) {
                continue;
            }
            VersionStatus load = loads.get(policy.model() + ":" + v);
            if (load != null && load.state().equals(VersionStatus.LOADING)) {
                problems.add("traffic." + policy.model() + ": version " + v + " (" + policy.roleOf(v) + ") is still loading; wait until GET "
                        + AdminRoutes.VERSIONS + " shows it ready");
            } else {
                problems.add("traffic." + policy.model() + ": version " + v + " (" + policy.roleOf(v) + ") is not loaded (loaded: "
                        + versions(served) + "); load it first (POST " + AdminRoutes.VERSIONS + ") or pick a loaded version");
            }
        }
        return problems;
    }

    static String versions(Map<Integer, ServedVersion> served) {
        return served.keySet().stream().sorted().map(String::valueOf).collect(Collectors.joining(", "));
    }

    private void load(PredictorFactory factory) {
        try {
            for (Map<Integer, ServedVersion> versions : models.values()) {
                for (ServedVersion version : versions.values()) {
                    long start = System.nanoTime();
                    Predictor predictor = factory.load(version.spec().dir());
                    if (predictor == null) {
                        throw new IllegalStateException("the predictor factory returned nothing for " + version.spec().dir());
                    }
                    version.loaded(predictor);
                    config.events().accept(String.format("loaded %s from %s in %d ms", version.spec().ref(), version.spec().dir(),
                            (System.nanoTime() - start) / 1_000_000));
                }
            }
            ready = true;
        } catch (RuntimeException e) {
            loadFailure = e;
            config.events().accept("loading failed: " + e.getMessage());
        } finally {
            loaded.countDown();
        }
    }

    // ------------------------------------------------------------------ public API

    /** Waits until every model has loaded; rethrows the loading error, or fails after {@code timeout}. */
    public void awaitReady(Duration timeout) {
        try {
            if (!loaded.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new dev.mlops.error.StorageUnavailableException("models: not loaded after " + timeout + "; raise the timeout or check the model files");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for models to load", e);
        }
        RuntimeException failure = loadFailure;
        if (failure != null) {
            throw failure;
        }
    }

    /** Whether all models are loaded and the server is not shutting down. */
    public boolean isReady() {
        return ready && !draining;
    }

    public int port() {
        return transport.port();
    }

    /** The admin listener's port (on 127.0.0.1), or -1 when admin is off. */
    public int adminPort() {
        return adminTransport == null ? -1 : adminTransport.port();
    }

    /** {@code http://host:port} of the inference listener. */
    public String baseUri() {
        String host = config.host().contains(":") ? "[" + config.host() + "]" : config.host();
        return "http://" + host + ":" + port();
    }

    public ServerConfig config() {
        return config;
    }

    public TrafficPolicy policy(String model) {
        TrafficPolicy policy = router.policy(model);
        if (policy == null) {
            throw new NotFoundException("model: '" + model + "' is not served (served: " + String.join(", ", models.keySet()) + ")");
        }
        return policy;
    }

    public List<TrafficPolicy> policies() {
        return router.policies();
    }

    /**
     * Replaces a model's traffic policy atomically (requests see the old or the new one, never a mix)
     * and returns the previous one. Every version it names must be loaded.
     */
    public synchronized TrafficPolicy updatePolicy(TrafficPolicy policy) {
        Map<Integer, ServedVersion> served = models.get(policy.model());
        if (served == null) {
            throw new NotFoundException("traffic.model: '" + policy.model() + "' is not served (served: " + String.join(", ", models.keySet()) + ")");
        }
        List<String> problems = missingVersions(policy, served, runtimeLoads);
        if (!problems.isEmpty()) {
            throw new InvalidInputException(String.join("; ", problems));
        }
        TrafficPolicy previous = router.replace(policy);
        config.events().accept("traffic " + policy.model() + ": " + describe(previous) + " -> " + describe(policy));
        return previous;
    }

    static String describe(TrafficPolicy p) {
        StringBuilder b = new StringBuilder("primary " + p.primary());
        if (p.canary() != null) {
            b.append(", canary ").append(p.canary()).append(" at ").append(p.canaryWeight()).append('%');
        }
        if (p.shadow() != null) {
            b.append(", shadow ").append(p.shadow());
        }
        return b.toString();
    }

    /** Every version of every served model, with its state and role; failed runtime loads too. */
    public List<VersionStatus> versionStatuses() {
        Map<String, Map<Integer, ServedVersion>> snapshot = models;
        Map<String, VersionStatus> byRef = new TreeMap<>();
        for (Map<Integer, ServedVersion> versions : snapshot.values()) {
            for (ServedVersion v : versions.values()) {
                VersionStatus loadedAtRuntime = runtimeLoads.get(v.spec().ref());
                byRef.put(v.spec().ref(), new VersionStatus(v.spec().name(), v.spec().version(), v.predictor() == null ? VersionStatus.LOADING
                        : VersionStatus.READY, null, null, loadedAtRuntime == null ? null : loadedAtRuntime.loadMillis()));
            }
        }
        runtimeLoads.forEach(byRef::putIfAbsent);
        return byRef.values().stream().map(s -> s.withRole(router.policy(s.model()) == null ? "other" : router.policy(s.model()).roleOf(s.version())))
                .sorted((a, b) -> a.model().equals(b.model()) ? Integer.compare(a.version(), b.version()) : a.model().compareTo(b.model()))
                .toList();
    }

    /** The state of {@code model:version}, or null when the server has never heard of it. */
    public VersionStatus versionStatus(String model, int version) {
        return versionStatuses().stream().filter(s -> s.model().equals(model) && s.version() == version).findFirst().orElse(null);
    }

    /**
     * Starts loading another version of a served model while the server keeps serving: resolved
     * against the {@link VersionSource} now (an unknown version is a {@link NotFoundException}),
     * downloaded and loaded on the loader thread, and added to the served versions in one swap once
     * ready. Traffic reaches it only when a policy names it ({@link #updatePolicy}). Returns the
     * state: {@code loading}, or {@code ready} when it is already served. A failed load leaves the
     * server as it was and shows as {@code failed} in {@link #versionStatuses}; asking again retries.
     */
    public VersionStatus loadVersion(String model, int version) {
        if (source == null) {
            throw new HttpError(501, "versions: this server was started without a registry, so it cannot load versions while it runs;"
                    + " restart it with the versions it should serve (--canary, --shadow)");
        }
        VersionStatus known = loadedOrLoading(model, version);
        if (known != null) {
            return known;
        }
        ModelSpec spec;
        try {
            spec = source.resolve(model, version);
        } catch (NotFoundException e) {
            throw new NotFoundException("version: cannot load " + model + ":" + version + " (" + e.getMessage() + "); still serving "
                    + model + " " + versions(models.get(model)), e);
        }
        if (!spec.name().equals(model) || spec.version() != version) {
            throw new IllegalStateException("the version source resolved " + model + ":" + version + " to " + spec.ref());
        }
        synchronized (this) {
            known = loadedOrLoading(model, version);
            if (known != null) {
                return known;
            }
            if (closed) {
                throw new HttpError(503, "versions: the server is shutting down; load versions into a running server");
            }
            VersionStatus loading = new VersionStatus(model, version, VersionStatus.LOADING, "other", null, null);
            runtimeLoads.put(spec.ref(), loading);
            try {
                versionLoader.execute(() -> loadAtRuntime(spec));
            } catch (RejectedExecutionException e) {
                runtimeLoads.remove(spec.ref());
                throw new HttpError(503, "versions: " + versionLoader.getQueue().size() + " loads are already waiting; retry when they finish");
            }
            config.events().accept("loading " + spec.ref() + " into the running server");
            return loading;
        }
    }

    private synchronized VersionStatus loadedOrLoading(String model, int version) {
        Map<Integer, ServedVersion> served = models.get(model);
        if (served == null) {
            throw new NotFoundException("model: '" + model + "' is not served (served: " + String.join(", ", models.keySet())
                    + "); load versions of a served model");
        }
        VersionStatus runtime = runtimeLoads.get(model + ":" + version);
        if (served.containsKey(version) || runtime != null && runtime.state().equals(VersionStatus.LOADING)) {
            return versionStatus(model, version);
        }
        return null;
    }

    private void loadAtRuntime(ModelSpec spec) {
        long start = System.nanoTime();
        Predictor predictor;
        try {
            predictor = source.load(spec);
            if (predictor == null) {
                throw new IllegalStateException("the version source returned no predictor for " + spec.ref());
            }
        } catch (RuntimeException e) {
            String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().lines().findFirst().orElse("");
            runtimeLoads.put(spec.ref(), new VersionStatus(spec.name(), spec.version(), VersionStatus.FAILED, "other", message, null));
            config.events().accept("loading " + spec.ref() + " failed: " + message + "; still serving " + spec.name() + " "
                    + versions(models.get(spec.name())));
            return;
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        boolean added = false;
        synchronized (this) {
            Map<Integer, ServedVersion> served = models.get(spec.name());
            if (!closed && served != null) {
                ServedVersion version = new ServedVersion(spec, metrics.version(spec.name(), Integer.toString(spec.version())));
                version.loaded(predictor);
                Map<Integer, ServedVersion> versions = new TreeMap<>(served);
                versions.put(spec.version(), version);
                models = replaced(spec.name(), versions);
                runtimeLoads.put(spec.ref(), new VersionStatus(spec.name(), spec.version(), VersionStatus.READY, "other", null, millis));
                added = true;
            }
        }
        if (added) {
            config.events().accept(String.format("loaded %s from %s in %d ms (at runtime; POST %s routes traffic to it)", spec.ref(), spec.dir(),
                    millis, AdminRoutes.TRAFFIC));
        } else {
            closeQuietly(spec, predictor);
        }
    }

    /**
     * Unloads a version no policy routes to (as primary, canary or shadow): it leaves the served
     * versions at once, and its predictor is closed once the requests already using it finish (up
     * to {@link ServerConfig#drainTimeout()}). Its metrics stay. A version still routed to is a
     * {@link dev.mlops.error.ConflictException} naming its role.
     */
    public VersionStatus unloadVersion(String model, int version) {
        ServedVersion removed;
        synchronized (this) {
            Map<Integer, ServedVersion> served = models.get(model);
            if (served == null) {
                throw new NotFoundException("model: '" + model + "' is not served (served: " + String.join(", ", models.keySet()) + ")");
            }
            ServedVersion v = served.get(version);
            VersionStatus runtime = runtimeLoads.get(model + ":" + version);
            if (v == null && runtime != null && runtime.state().equals(VersionStatus.LOADING)
                    || v != null && v.predictor() == null) {
                throw new dev.mlops.error.ConflictException("version: " + model + ":" + version + " is still loading; unload it once GET "
                        + AdminRoutes.VERSIONS + " shows it ready");
            }
            if (v == null) {
                runtimeLoads.remove(model + ":" + version);
                throw new NotFoundException("version: " + model + ":" + version + " is not loaded (loaded: " + versions(served) + ")");
            }
            TrafficPolicy policy = router.policy(model);
            if (policy.versions().contains(version)) {
                throw new dev.mlops.error.ConflictException("version: " + model + ":" + version + " is the " + policy.roleOf(version)
                        + " of the traffic policy (" + describe(policy) + "); move traffic off it first (POST " + AdminRoutes.TRAFFIC
                        + "), then unload it");
            }
            Map<Integer, ServedVersion> versions = new TreeMap<>(served);
            versions.remove(version);
            models = replaced(model, versions);
            runtimeLoads.remove(v.spec().ref());
            removed = v;
        }
        Runnable close = () -> {
            boolean idle = removed.retire(config.drainTimeout());
            closeQuietly(removed.spec(), removed.predictor());
            config.events().accept("unloaded " + removed.spec().ref() + (idle ? "" : " (requests still used it after " + config.drainTimeout()
                    + "; closed anyway)"));
        };
        try {
            versionLoader.execute(close);
        } catch (RejectedExecutionException e) {
            close.run();
        }
        return new VersionStatus(model, version, VersionStatus.UNLOADED, "other", null, null);
    }

    private Map<String, Map<Integer, ServedVersion>> replaced(String model, Map<Integer, ServedVersion> versions) {
        Map<String, Map<Integer, ServedVersion>> next = new TreeMap<>(models);
        next.put(model, Collections.unmodifiableMap(versions));
        return Collections.unmodifiableMap(next);
    }

    private void closeQuietly(ModelSpec spec, Predictor predictor) {
        if (predictor == null) {
            return;
        }
        try {
            predictor.close();
        } catch (RuntimeException e) {
            config.events().accept("closing " + spec.ref() + ": " + e.getMessage());
        }
    }

    /** The metrics in Prometheus text format (also served at GET /metrics). */
    public String metricsText() {
        return metrics.render();
    }

    /**
     * Graceful shutdown: readiness turns false and the listener closes at once; requests in
     * progress may finish for up to {@link ServerConfig#drainTimeout()}; then connections close,
     * queued shadow scorings finish, and the inference log is written out and flushed.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        draining = true;
        if (adminTransport != null) {
            adminTransport.stopAccepting();
        }
        if (transport != null) {
            transport.stopAccepting();
            long deadline = System.nanoTime() + config.drainTimeout().toNanos();
            while (metrics.inFlight() > 0 && System.nanoTime() < deadline) {
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            if (metrics.inFlight() > 0) {
                config.events().accept("shutdown: " + metrics.inFlight() + " request(s) still running after " + config.drainTimeout() + "; closing anyway");
            }
            transport.close();
        }
        if (adminTransport != null) {
            adminTransport.close();
        }
        JdkTransport.shutdown(shadowPool);
        versionLoader.shutdownNow();
        if (log != null) {
            log.close();
        }
        for (Map<Integer, ServedVersion> versions : models.values()) {
            for (ServedVersion version : versions.values()) {
                closeQuietly(version.spec(), version.predictor());
            }
        }
    }

    // ------------------------------------------------------------------ for the routes

    Map<String, Map<Integer, ServedVersion>> models() {
        return models;
    }

    TrafficRouter router() {
        return router;
    }

    ServeMetrics metrics() {
        return metrics;
    }

    InferenceLog log() {
        return log;
    }

    ThreadPoolExecutor shadowPool() {
        return shadowPool;
    }

    Clock clock() {
        return clock;
    }

    boolean loadedAll() {
        return ready;
    }

    boolean draining() {
        return draining;
    }

    static int statusOf(RuntimeException e) {
        if (e instanceof HttpError http) {
            return http.status();
        }
        if (e instanceof MlopsException known) {
            return switch (known.code()) {
                case INVALID_INPUT -> 400;
                case NOT_FOUND -> 404;
                case CONFLICT -> 409;
                default -> 500;
            };
        }
        return 500;
    }
}
