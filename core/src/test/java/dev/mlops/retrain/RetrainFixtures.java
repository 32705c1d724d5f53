package dev.mlops.retrain;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** Shared test pieces: a settable clock and a real HTTP endpoint on 127.0.0.1 that records requests. */
final class RetrainFixtures {
    static final String SECRET = "A-very-secret-webhook-key-0123456789";
    static final RetryPolicy FAST_RETRY = new RetryPolicy(4, Duration.ofMillis(1), Duration.ofMillis(4), Duration.ofSeconds(10));

    private RetrainFixtures() {
    }

    static WebhookSecret secret() {
        return WebhookSecret.fromEnv("S", Map.of("S", SECRET));
    }

    /** A clock tests move by hand. */
    static final class MutableClock extends Clock {
        Instant now;

        MutableClock(Instant start) {
            now = start;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    record Received(String method, String path, Map<String, List<String>> headers, String body) {
    }

    /** Answers the given statuses in turn (the last one repeats), recording every request. */
    static final class Endpoint implements AutoCloseable {
        final HttpServer server;
        final List<Received> requests = new CopyOnWriteArrayList<>();
        final AtomicInteger calls = new AtomicInteger();

        Endpoint(int... statuses) throws IOException {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
            server.createContext("/", exchange -> {
                try (exchange) {
                    byte[] body = exchange.getRequestBody().readAllBytes();
                    Map<String, List<String>> headers = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
                    headers.putAll(exchange.getRequestHeaders());
                    requests.add(new Received(exchange.getRequestMethod(), exchange.getRequestURI().getPath(), headers,
                            new String(body, StandardCharsets.UTF_8)));
                    int n = calls.getAndIncrement();
                    int status = statuses[Math.min(n, statuses.length - 1)];
                    if (status == 201) {
                        exchange.getResponseHeaders().set("Location", "http://127.0.0.1:" + port() + "/queue/item/" + (n + 1) + "/");
                    }
                    byte[] answer = ("{\"answer\":" + status + "}").getBytes(StandardCharsets.UTF_8);
                    exchange.sendResponseHeaders(status, answer.length);
                    exchange.getResponseBody().write(answer);
                }
            });
            server.start();
        }

        int port() {
            return server.getAddress().getPort();
        }

        URI uri(String path) {
            return URI.create("http://127.0.0.1:" + port() + path);
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }
}
