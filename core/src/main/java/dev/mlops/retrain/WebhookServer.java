package dev.mlops.retrain;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.mlops.error.InvalidInputException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A JDK {@link HttpServer} in front of a {@link WebhookReceiver}: {@code POST <path>} only, bodies
 * up to {@code maxBodyBytes} (413 beyond), answers the receiver's {@link Decision} as JSON.
 */
public final class WebhookServer implements AutoCloseable {
    public static final String DEFAULT_PATH = "/mlops-webhook/retrain";
    public static final int DEFAULT_MAX_BODY = 1 << 20;
    private final HttpServer server;
    private final ExecutorService executor;
    private final String path;

    private WebhookServer(HttpServer server, ExecutorService executor, String path) {
        this.server = server;
        this.executor = executor;
        this.path = path;
    }

    public static WebhookServer start(WebhookReceiver receiver, String host, int port, String path, int maxBodyBytes) {
        if (path == null || !path.startsWith("/")) {
            throw new InvalidInputException("--path: '" + path + "' must start with '/', e.g. " + DEFAULT_PATH);
        }
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(host, port), 64);
        } catch (BindException e) {
            throw new InvalidInputException("--port: " + port + " on " + host + " is in use or not allowed; pick another port (0 = any free one)");
        } catch (IOException e) {
            throw new InvalidInputException("--host/--port: cannot listen on " + host + ":" + port + " (" + e.getMessage() + ")");
        }
        ExecutorService executor = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "mlops-webhook-http");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", exchange -> {
            try (exchange) {
                serve(receiver, path, maxBodyBytes, exchange);
            }
        });
        server.start();
        return new WebhookServer(server, executor, path);
    }

    private static void serve(WebhookReceiver receiver, String path, int maxBodyBytes, HttpExchange exchange) throws IOException {
        if (!exchange.getRequestURI().getPath().equals(path)) {
            send(exchange, new Decision(404, "not-found", "no such endpoint; POST signed requests to " + path, 0, null, null, null));
            return;
        }
        if (!"POST".equals(exchange.getRequestMethod())) {
            exchange.getResponseHeaders().add("Allow", "POST");
            send(exchange, new Decision(405, "method-not-allowed", "use POST", 0, null, null, null));
            return;
        }
        byte[] body = readBounded(exchange.getRequestBody(), maxBodyBytes);
        if (body == null) {
            send(exchange, new Decision(413, "too-large", "body larger than " + maxBodyBytes + " bytes", 0, null, null, null));
            return;
        }
        Decision decision;
        try {
            decision = receiver.handle(exchange.getRequestHeaders(), body);
        } catch (RuntimeException e) {
            decision = new Decision(500, "error", "receiver failed: " + e.getMessage(), 0, null, null, null);
        }
        send(exchange, decision);
    }

    private static byte[] readBounded(InputStream in, int max) throws IOException {
        byte[] bytes = in.readNBytes(max + 1);
        return bytes.length > max ? null : bytes;
    }

    private static void send(HttpExchange exchange, Decision decision) throws IOException {
        byte[] body = decision.body();
        exchange.getResponseHeaders().set("Content-Type", "application/json; charset=" + StandardCharsets.UTF_8.name().toLowerCase());
        if (decision.retryAfterSeconds() > 0) {
            exchange.getResponseHeaders().set("Retry-After", Long.toString(decision.retryAfterSeconds()));
        }
        if (decision.location() != null && decision.location().startsWith("http")) {
            exchange.getResponseHeaders().set("Location", decision.location());
        }
        exchange.sendResponseHeaders(decision.status(), body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public URI url() {
        return URI.create("http://" + server.getAddress().getHostString() + ":" + port() + path);
    }

    /** Stops accepting, lets requests in progress finish for up to {@code drain}. */
    public void stop(Duration drain) {
        server.stop((int) Math.max(0, drain.toSeconds()));
        executor.shutdown();
    }

    @Override
    public void close() {
        stop(Duration.ZERO);
    }
}
