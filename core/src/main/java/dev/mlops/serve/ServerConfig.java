package dev.mlops.serve;

import dev.mlops.error.InvalidInputException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Everything a {@link ModelServer} needs, built with {@link #builder()}: {@code set*} for the
 * required models, {@code opt*} for the rest.
 *
 * @param host         address of the inference listener (default 127.0.0.1)
 * @param port         its port; 0 picks a free one (default 8080)
 * @param adminPort    port of the admin listener, always bound to 127.0.0.1; 0 picks a free one; null
 *                     (or no admin token) means no admin listener
 * @param adminToken   bearer token of the admin endpoints; null turns them off
 * @param models       the model versions to load and serve
 * @param policies     traffic policy per model name; a model without one, served in a single version, gets
 *                     {@link TrafficPolicy#primaryOnly}
 * @param log          request/response logging, or null for none
 * @param maxBodyBytes largest accepted request body (413 beyond)
 * @param threads      HTTP worker threads
 * @param drainTimeout how long shutdown waits for requests in progress
 * @param shadowQueue  shadow scorings waiting for the shadow thread; beyond that they are dropped and counted
 * @param http         the HTTP stack (default {@link HttpStack#JETTY})
 * @param events       where the server reports what it does (loading, errors of the log writer); never secrets
 */
public record ServerConfig(String host, int port, Integer adminPort, AdminToken adminToken, List<ModelSpec> models,
                           List<TrafficPolicy> policies, LogSettings log, int maxBodyBytes, int threads,
                           Duration drainTimeout, int shadowQueue, HttpStack http, Consumer<String> events) {
    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 8080;
    public static final int DEFAULT_MAX_BODY_BYTES = 16 * 1024 * 1024;

    public ServerConfig {
        Objects.requireNonNull(host, "host");
        models = List.copyOf(models);
        policies = List.copyOf(policies);
        Objects.requireNonNull(drainTimeout, "drainTimeout");
        events = events == null ? message -> { } : events;
        http = http == null ? HttpStack.JETTY : http;
        List<String> problems = new ArrayList<>();
        if (port < 0 || port > 65535) {
            problems.add("port: " + port + " not in 0..65535; e.g. 8080, or 0 for any free port");
        }
        if (adminPort != null && (adminPort < 0 || adminPort > 65535)) {
            problems.add("adminPort: " + adminPort + " not in 0..65535; e.g. 8081, or 0 for any free port");
        }
        if (models.isEmpty()) {
            problems.add("models: none; serve at least one model version");
        }
        if (maxBodyBytes < 1024) {
            problems.add("maxBodyBytes: " + maxBodyBytes + " is below 1024; e.g. " + DEFAULT_MAX_BODY_BYTES);
        }
        if (threads < 1 || threads > 1024) {
            problems.add("threads: " + threads + " not in 1..1024; e.g. " + defaultThreads());
        }
        if (drainTimeout.isNegative()) {
            problems.add("drainTimeout: " + drainTimeout + " is negative; e.g. PT30S");
        }
        if (shadowQueue < 1) {
            problems.add("shadowQueue: " + shadowQueue + " is not positive; e.g. 1024");
        }
        if (!problems.isEmpty()) {
            throw new InvalidInputException(String.join("; ", problems));
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Worker threads by default: 4 per core, at least 8 (the handlers are short and CPU-bound). */
    public static int defaultThreads() {
        return Math.max(8, 4 * Runtime.getRuntime().availableProcessors());
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.host = host;
        b.port = port;
        b.adminPort = adminPort;
        b.adminToken = adminToken;
        b.models = new ArrayList<>(models);
        b.policies = new ArrayList<>(policies);
        b.log = log;
        b.maxBodyBytes = maxBodyBytes;
        b.threads = threads;
        b.drainTimeout = drainTimeout;
        b.shadowQueue = shadowQueue;
        b.http = http;
        b.events = events;
        return b;
    }

    public static final class Builder {
        private String host = DEFAULT_HOST;
        private int port = DEFAULT_PORT;
        private Integer adminPort;
        private AdminToken adminToken;
        private List<ModelSpec> models = new ArrayList<>();
        private List<TrafficPolicy> policies = new ArrayList<>();
        private LogSettings log;
        private int maxBodyBytes = DEFAULT_MAX_BODY_BYTES;
        private int threads = defaultThreads();
        private Duration drainTimeout = Duration.ofSeconds(30);
        private int shadowQueue = 1024;
        private HttpStack http = HttpStack.JETTY;
        private Consumer<String> events;

        private Builder() {
        }

        public Builder setModels(List<ModelSpec> specs) {
            this.models = new ArrayList<>(specs);
            return this;
        }

        public Builder addModel(ModelSpec spec) {
            this.models.add(spec);
            return this;
        }

        public Builder optHost(String value) {
            this.host = value;
            return this;
        }

        public Builder optPort(int value) {
            this.port = value;
            return this;
        }

        public Builder optAdmin(int port, AdminToken token) {
            this.adminPort = port;
            this.adminToken = token;
            return this;
        }

        public Builder optPolicy(TrafficPolicy policy) {
            this.policies.removeIf(p -> p.model().equals(policy.model()));
            this.policies.add(policy);
            return this;
        }

        public Builder optLog(LogSettings settings) {
            this.log = settings;
            return this;
        }

        public Builder optMaxBodyBytes(int value) {
            this.maxBodyBytes = value;
            return this;
        }

        public Builder optThreads(int value) {
            this.threads = value;
            return this;
        }

        public Builder optDrainTimeout(Duration value) {
            this.drainTimeout = value;
            return this;
        }

        public Builder optShadowQueue(int value) {
            this.shadowQueue = value;
            return this;
        }

        public Builder optHttp(HttpStack stack) {
            this.http = stack;
            return this;
        }

        public Builder optEvents(Consumer<String> sink) {
            this.events = sink;
            return this;
        }

        public ServerConfig build() {
            return new ServerConfig(host, port, adminPort, adminToken, models, policies, log, maxBodyBytes, threads, drainTimeout,
                    shadowQueue, http, events);
        }
    }
}
