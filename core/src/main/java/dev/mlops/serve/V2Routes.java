package dev.mlops.serve;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.mlops.model.ModelSchema;
import dev.mlops.model.Predictor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The inference listener's routes: the Open Inference Protocol REST endpoints and {@code /metrics}.
 * Errors are {@code {"error": "..."}} with 400 (bad request: the message names the field and what
 * is expected), 404 (no such model, version or endpoint), 405 (wrong method, with {@code Allow}),
 * 413 (body over the limit) or 500.
 */
final class V2Routes {
    static final String JSON = "application/json";
    private static final byte[] EMPTY = new byte[0];
    private static final JsonFactory FACTORY = JsonFactory.builder().build();
    private static final String VERSION = versionOfServer();

    private final ModelServer server;
    private final String idPrefix;
    private final AtomicLong ids = new AtomicLong();

    V2Routes(ModelServer server) {
        this.server = server;
        this.idPrefix = Long.toString(ThreadLocalRandom.current().nextLong() >>> 24, 36) + "-";
    }

    void handle(ServeExchange ex) {
        String path = ex.path();
        try {
            if (path.equals("/metrics")) {
                allow(ex, "GET");
                ex.respond(200, ServeMetrics.CONTENT_TYPE, server.metrics().render().getBytes(StandardCharsets.UTF_8));
                return;
            }
            if (path.equals("/v2") || path.startsWith("/v2/")) {
                v2(ex, path);
                return;
            }
            if (path.startsWith("/admin")) {
                throw HttpError.notFound("admin endpoints are served only on 127.0.0.1" + (server.adminPort() > 0 ? ":" + server.adminPort() : "")
                        + (server.adminPort() > 0 ? "" : " when the server is started with " + AdminToken.ENV + " set"));
            }
            throw HttpError.notFound(unknownPath(path));
        } catch (RuntimeException e) {
            error(ex, e);
        } catch (IOException e) {
            // the client went away; nothing to answer
        }
    }

    private void v2(ServeExchange ex, String path) throws IOException {
        String[] s = segments(path);
        // s[0] == "v2"
        if (s.length == 1) {
            allow(ex, "GET");
            json(ex, 200, serverMetadata());
            return;
        }
        if (s[1].equals("health") && s.length == 3) {
            allow(ex, "GET");
            if (s[2].equals("live")) {
                ex.respond(200, null, EMPTY);
                return;
            }
            if (s[2].equals("ready")) {
                // Open Inference Protocol: 200 means true, a 4xx means false, the body should be empty
                ex.respond(server.isReady() ? 200 : 400, null, EMPTY, readyHeaders());
                return;
            }
        }
        if (s[1].equals("models") && s.length >= 3) {
            String name = s[2];
            int rest = 3;
            Integer version = null;
            if (s.length >= 5 && s[3].equals("versions")) {
                version = TrafficRouter.parseVersion(s[4]);
                rest = 5;
            }
            String action = s.length == rest ? "" : s.length == rest + 1 ? s[rest] : null;
            if ("infer".equals(action)) {
                allow(ex, "POST");
                infer(ex, name, version, s.length > 4 ? s[4] : null);
                return;
            }
            if ("ready".equals(action)) {
                allow(ex, "GET");
                ServedVersion v = version(name, version, version == null ? null : s[4]);
                ex.respond(v.predictor() != null && !server.draining() ? 200 : 400, null, EMPTY);
                return;
            }
            if ("".equals(action)) {
                allow(ex, "GET");
                ServedVersion v = version(name, version, version == null ? null : s[4]);
                json(ex, 200, modelMetadata(name, v));
                return;
            }
        }
        throw HttpError.notFound(unknownPath(path));
    }

    private String[] readyHeaders() {
        return server.draining() ? new String[] {"Connection", "close"} : new String[0];
    }

    private static String[] segments(String path) {
        String trimmed = path.endsWith("/") && path.length() > 1 ? path.substring(0, path.length() - 1) : path;
        return trimmed.substring(1).split("/", -1);
    }

    private static String unknownPath(String path) {
        return "no endpoint at " + InferCodec.abbreviate(path) + "; endpoints: GET /v2, /v2/health/live, /v2/health/ready, "
                + "/v2/models/{name}[/versions/{v}], /v2/models/{name}[/versions/{v}]/ready, /metrics; "
                + "POST /v2/models/{name}[/versions/{v}]/infer";
    }

    private static void allow(ServeExchange ex, String method) {
        if (!ex.method().equals(method)) {
            throw new MethodNotAllowed(method, ex.method(), ex.path());
        }
    }

    /** 405 with the method to use; carries the Allow header value. */
    static final class MethodNotAllowed extends RuntimeException {
        final String allowed;

        MethodNotAllowed(String allowed, String used, String path) {
            super("method " + used + " is not allowed on " + InferCodec.abbreviate(path) + "; use " + allowed, null, false, false);
            this.allowed = allowed;
        }
    }

    /** The served version: the URL's, or the policy's primary when the URL names none. */
    private ServedVersion version(String name, Integer version, String versionText) {
        Map<Integer, ServedVersion> versions = server.models().get(name);
        if (versions == null) {
            throw HttpError.notFound("model: '" + InferCodec.abbreviate(name) + "' is not served here; served models: "
                    + String.join(", ", server.models().keySet()));
        }
        int wanted = version == null ? server.router().policy(name).primary() : version;
        ServedVersion v = versions.get(wanted);
        if (v == null) {
            throw HttpError.notFound("version: '" + InferCodec.abbreviate(versionText == null ? String.valueOf(wanted) : versionText)
                    + "' of model " + name + " is not served; served versions: " + ModelServer.versions(versions));
        }
        return v;
    }

    // ------------------------------------------------------------------ inference

    private void infer(ServeExchange ex, String name, Integer urlVersion, String versionText) throws IOException {
        long start = System.nanoTime();
        ServeMetrics metrics = server.metrics();
        metrics.enter();
        ServeMetrics.VersionStats stats = null;
        String modelLabel = ServeMetrics.UNKNOWN;
        int status = 500;
        ServedVersion served = null;
        try {
            Map<Integer, ServedVersion> versions = server.models().get(name);
            if (versions == null) {
                throw HttpError.notFound("model: '" + InferCodec.abbreviate(name) + "' is not served here; served models: "
                        + String.join(", ", server.models().keySet()));
            }
            modelLabel = name;
            Routing routing = server.router().route(name, urlVersion, ex::header);
            served = acquire(versions, routing);
            if (served == null) {
                // a version was loaded or unloaded between reading the versions and the policy: read both again, once
                versions = server.models().get(name);
                routing = server.router().route(name, urlVersion, ex::header);
                served = acquire(versions, routing);
            }
            if (served == null) {
                String asked = routing.selector().equals(Routing.URL) ? versionText
                        : ex.header(server.router().policy(name).pinHeader()) + " (header " + server.router().policy(name).pinHeader() + ")";
                throw HttpError.notFound("version: '" + InferCodec.abbreviate(String.valueOf(asked)) + "' of model " + name
                        + " is not served; served versions: " + ModelServer.versions(versions));
            }
            stats = served.stats();
            Predictor predictor = served.predictor();
            if (predictor == null) {
                status = 503;
                ex.respond(503, JSON, errorBody("model: " + served.spec().ref() + " is still loading; retry when GET /v2/models/" + name
                        + "/ready answers 200"), "Retry-After", "1");
                return;
            }
            byte[] body = ex.body(server.config().maxBodyBytes());
            InferRequest request = InferCodec.parse(body);
            ModelSchema schema = predictor.schema();
            float[][] rows = InferCodec.rows(request, schema, name);
            InferCodec.checkOutputs(request, schema, name);
            double[][] scores = predictor.predict(rows);
            String id = request.id() != null ? request.id() : idPrefix + ids.incrementAndGet();
            byte[] response = InferCodec.response(name, served.spec().version(), id, schema, scores, request.outputs());
            if (server.draining()) {
                ex.respond(200, JSON, response, "Connection", "close");
            } else {
                ex.respond(200, JSON, response);
            }
            status = 200;
            long nanos = System.nanoTime() - start;
            InferenceLog log = server.log();
            boolean sampled = log != null && log.sample();
            if (sampled) {
                log.offer(new InferenceRecord(Instant.now(server.clock()), name, served.spec().version(), id, routing.route(),
                        routing.selector(), rows, scores, nanos / 1e6, null));
            }
            if (routing.shadow() != null) {
                shadow(name, versions.get(routing.shadow()), id, rows, sampled);
            }
        } catch (RuntimeException e) {
            status = e instanceof MethodNotAllowed ? 405 : ModelServer.statusOf(e);
            error(ex, e);
        } finally {
            if (served != null) {
                served.release();
            }
            metrics.exit();
            if (stats == null) {
                stats = metrics.version(modelLabel, ServeMetrics.UNKNOWN);
            }
            stats.observe(status, System.nanoTime() - start);
        }
    }

    /** The routed version, counted as in use; null when it is not served (or was just unloaded). */
    private static ServedVersion acquire(Map<Integer, ServedVersion> versions, Routing routing) {
        ServedVersion v = versions == null ? null : versions.get(routing.version());
        return v != null && v.acquire() ? v : null;
    }

    private void shadow(String name, ServedVersion shadow, String id, float[][] rows, boolean sampled) {
        if (shadow == null || shadow.predictor() == null) {
            return;
        }
        server.shadowPool().execute(() -> {
            if (!shadow.acquire()) {
                return;
            }
            try {
                score(name, shadow, id, rows, sampled);
            } finally {
                shadow.release();
            }
        });
    }

    private void score(String name, ServedVersion shadow, String id, float[][] rows, boolean sampled) {
        long start = System.nanoTime();
        double[][] scores = null;
        String error = null;
        int status = 200;
        try {
            scores = shadow.predictor().predict(rows);
        } catch (RuntimeException e) {
            status = ModelServer.statusOf(e);
            error = e.getClass().getSimpleName() + ": " + e.getMessage();
        }
        long nanos = System.nanoTime() - start;
        shadow.stats().observe(status, nanos);
        InferenceLog log = server.log();
        if (sampled && log != null) {
            log.offer(new InferenceRecord(Instant.now(server.clock()), name, shadow.spec().version(), id, "shadow", "mirror",
                    rows, scores, nanos / 1e6, error));
        }
    }

    // ------------------------------------------------------------------ metadata

    private byte[] serverMetadata() {
        return write(g -> {
            g.writeStartObject();
            g.writeStringField("name", ModelServer.NAME);
            g.writeStringField("version", VERSION);
            g.writeArrayFieldStart("extensions");
            g.writeEndArray();
            g.writeEndObject();
        });
    }

    private byte[] modelMetadata(String name, ServedVersion v) {
        ModelSchema schema = v.schema();
        if (schema == null) {
            throw new HttpError(503, "model: " + v.spec().ref() + " is still loading; retry when GET /v2/models/" + name + "/ready answers 200");
        }
        Map<Integer, ServedVersion> versions = server.models().get(name);
        TrafficPolicy policy = server.router().policy(name);
        return write(g -> {
            g.writeStartObject();
            g.writeStringField("name", name);
            g.writeArrayFieldStart("versions");
            for (int version : versions.keySet().stream().sorted().toList()) {
                g.writeString(Integer.toString(version));
            }
            g.writeEndArray();
            g.writeStringField("platform", v.spec().platform());
            g.writeArrayFieldStart("inputs");
            g.writeStartObject();
            g.writeStringField("name", "input-0");
            g.writeStringField("datatype", "FP32");
            g.writeArrayFieldStart("shape");
            g.writeNumber(-1);
            g.writeNumber(schema.features().size());
            g.writeEndArray();
            g.writeEndObject();
            g.writeEndArray();
            g.writeArrayFieldStart("outputs");
            if (schema.isClassification()) {
                tensorMetadata(g, InferCodec.PROBABILITIES, "FP64", schema.classes().size());
                tensorMetadata(g, InferCodec.PREDICTED_CLASS, "BYTES", -2);
            } else {
                tensorMetadata(g, InferCodec.PREDICTIONS, "FP64", 1);
            }
            g.writeEndArray();
            g.writeObjectFieldStart("parameters");
            g.writeStringField("version", Integer.toString(v.spec().version()));
            g.writeStringField("role", policy.roleOf(v.spec().version()));
            g.writeStringField("task", schema.task());
            g.writeStringField("features", String.join(",", schema.features()));
            if (schema.isClassification()) {
                g.writeStringField("classes", String.join(",", schema.classes()));
            }
            g.writeEndObject();
            g.writeEndObject();
        });
    }

    private static void tensorMetadata(JsonGenerator g, String name, String datatype, int columns) throws IOException {
        g.writeStartObject();
        g.writeStringField("name", name);
        g.writeStringField("datatype", datatype);
        g.writeArrayFieldStart("shape");
        g.writeNumber(-1);
        if (columns >= 0) {
            g.writeNumber(columns);
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    // ------------------------------------------------------------------ helpers

    @FunctionalInterface
    interface Writer {
        void write(JsonGenerator g) throws IOException;
    }

    static byte[] write(Writer writer) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        try (JsonGenerator g = FACTORY.createGenerator(bytes)) {
            writer.write(g);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static byte[] errorBody(String message) {
        return write(g -> {
            g.writeStartObject();
            g.writeStringField("error", message);
            g.writeEndObject();
        });
    }

    private static void json(ServeExchange ex, int status, byte[] body) throws IOException {
        ex.respond(status, JSON, body);
    }

    /** Answers {@code {"error": ...}} for an exception; a 500 names the exception but never a stack trace. */
    static void error(ServeExchange ex, RuntimeException e) {
        try {
            if (e instanceof MethodNotAllowed m) {
                ex.respond(405, JSON, errorBody(m.getMessage()), "Allow", m.allowed);
                return;
            }
            int status = ModelServer.statusOf(e);
            String message = status == 500 ? "internal error: " + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": "
                    + e.getMessage().lines().findFirst().orElse("")) : e.getMessage();
            if (status == 413) {
                ex.respond(status, JSON, errorBody(message), "Connection", "close");
            } else {
                ex.respond(status, JSON, errorBody(message));
            }
        } catch (IOException | RuntimeException ignored) {
            // the response was already started, or the client is gone
        }
    }

    private static String versionOfServer() {
        String version = V2Routes.class.getPackage() == null ? null : V2Routes.class.getPackage().getImplementationVersion();
        return version == null ? "dev" : version;
    }
}
