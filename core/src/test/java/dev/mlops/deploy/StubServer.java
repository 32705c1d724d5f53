package dev.mlops.deploy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A tiny model server on 127.0.0.1 for tests: serves Prometheus text at /metrics built from
 * counters the test moves, 200 at /v2/health/ready, and a fixed v2 infer answer.
 */
final class StubServer implements AutoCloseable {
    final HttpServer http;
    /** model/version → code → count; model/version → observed latencies (seconds). */
    private final Map<String, Map<Integer, Long>> codes = new ConcurrentHashMap<>();
    private final Map<String, long[]> buckets = new ConcurrentHashMap<>();
    static final double[] BOUNDS = {0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1};
    volatile String inferAnswer = "{\"outputs\":[{\"name\":\"probabilities\",\"shape\":[2,2],\"datatype\":\"FP64\",\"data\":[0.2,0.8,0.6,0.4]}]}";
    volatile int inferStatus = 200;

    StubServer() throws IOException {
        http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        http.createContext("/metrics", ex -> respond(ex, 200, metrics()));
        http.createContext("/v2/health/ready", ex -> respond(ex, 200, "{}"));
        http.createContext("/v2/models/", ex -> {
            ex.getRequestBody().readAllBytes();
            respond(ex, inferStatus, inferAnswer);
        });
        http.start();
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + http.getAddress().getPort() + "/");
    }

    /** Records {@code n} requests of a version answered with {@code code} in {@code seconds} each. */
    synchronized void observe(String model, int version, int code, int n, double seconds) {
        String key = model + "\u0000" + version;
        codes.computeIfAbsent(key, k -> new TreeMap<>()).merge(code, (long) n, Long::sum);
        long[] b = buckets.computeIfAbsent(key, k -> new long[BOUNDS.length + 1]);
        int i = 0;
        while (i < BOUNDS.length && seconds > BOUNDS[i]) {
            i++;
        }
        b[i] += n;
    }

    synchronized String metrics() {
        StringBuilder out = new StringBuilder("# HELP mlops_serve_requests_total x\n# TYPE mlops_serve_requests_total counter\n");
        codes.forEach((key, byCode) -> byCode.forEach((code, n) -> out.append("mlops_serve_requests_total").append(labels(key))
                .append(",code=\"").append(code).append("\"} ").append(n).append('\n')));
        codes.forEach((key, byCode) -> byCode.forEach((code, n) -> {
            if (code >= 400) {
                out.append("mlops_serve_request_errors_total").append(labels(key)).append(",code=\"").append(code).append("\"} ").append(n).append('\n');
            }
        }));
        out.append("# TYPE mlops_serve_request_duration_seconds histogram\n");
        buckets.forEach((key, b) -> {
            long cumulative = 0;
            for (int i = 0; i <= BOUNDS.length; i++) {
                cumulative += b[i];
                out.append("mlops_serve_request_duration_seconds_bucket").append(labels(key)).append(",le=\"")
                        .append(i == BOUNDS.length ? "+Inf" : String.valueOf(BOUNDS[i])).append("\"} ").append(cumulative).append('\n');
            }
            out.append("mlops_serve_request_duration_seconds_count").append(labels(key)).append("} ").append(cumulative).append('\n');
        });
        out.append("mlops_serve_in_flight_requests 0\n");
        return out.toString();
    }

    private static String labels(String key) {
        String[] p = key.split("\u0000");
        return "{model=\"" + p[0] + "\",version=\"" + p[1] + "\"";
    }

    private static void respond(com.sun.net.httpserver.HttpExchange ex, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("content-type", "text/plain");
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        http.stop(0);
    }
}
