package dev.mlops.serve;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@link ServeTransport} on the JDK's built-in {@code com.sun.net.httpserver.HttpServer} (the
 * alternative to {@link JettyTransport}, kept so bench/serve.sh can compare them): one
 * selector thread plus a fixed pool of worker threads. TCP_NODELAY must be on (system property
 * {@code sun.net.httpserver.nodelay}, read once per JVM when the first server is created): the JDK
 * writes headers and body in two writes, and with Nagle's algorithm the second waits for a delayed
 * ACK (about 40 ms per request).
 */
final class JdkTransport implements ServeTransport {
    static final String NODELAY = "sun.net.httpserver.nodelay";

    private final HttpServer server;
    private final ThreadPoolExecutor pool;
    private Thread stopper;

    private JdkTransport(HttpServer server, ThreadPoolExecutor pool) {
        this.server = server;
        this.pool = pool;
    }

    static JdkTransport start(String host, int port, int threads, String name, Handler handler) throws IOException {
        if (System.getProperty(NODELAY) == null) {
            System.setProperty(NODELAY, "true");
        }
        HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 1024);
        AtomicInteger n = new AtomicInteger();
        ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        pool.prestartAllCoreThreads();
        server.setExecutor(pool);
        server.createContext("/", exchange -> {
            try {
                handler.handle(new Exchange(exchange));
            } finally {
                exchange.close();
            }
        });
        server.start();
        return new JdkTransport(server, pool);
    }

    @Override
    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public synchronized void stopAccepting() {
        if (stopper == null) {
            // HttpServer.stop(delay) closes the listener at once, then waits for exchanges; a second stop(0) ends the wait
            stopper = new Thread(() -> server.stop(3600), "mlops-serve-stop");
            stopper.setDaemon(true);
            stopper.start();
        }
    }

    @Override
    public synchronized void close() {
        stopAccepting();
        server.stop(0);
        try {
            stopper.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        shutdown(pool);
    }

    static void shutdown(ExecutorService pool) {
        pool.shutdown();
        try {
            if (!pool.awaitTermination(1, TimeUnit.SECONDS)) {
                pool.shutdownNow();
            }
        } catch (InterruptedException e) {
            pool.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    private static final class Exchange implements ServeExchange {
        private final HttpExchange exchange;

        Exchange(HttpExchange exchange) {
            this.exchange = exchange;
        }

        @Override
        public String method() {
            return exchange.getRequestMethod();
        }

        @Override
        public String path() {
            return exchange.getRequestURI().getRawPath();
        }

        @Override
        public String header(String name) {
            return exchange.getRequestHeaders().getFirst(name);
        }

        @Override
        public InetAddress remoteAddress() {
            return exchange.getRemoteAddress().getAddress();
        }

        @Override
        public byte[] body(int maxBytes) throws IOException {
            String length = header("content-length");
            if (length != null) {
                long declared;
                try {
                    declared = Long.parseLong(length.trim());
                } catch (NumberFormatException e) {
                    throw HttpError.badRequest("Content-Length: '" + length + "' is not a number");
                }
                if (declared > maxBytes) {
                    throw HttpError.tooLarge(String.valueOf(declared), maxBytes);
                }
            }
            InputStream in = exchange.getRequestBody();
            if (length != null) {
                byte[] body = new byte[Integer.parseInt(length.trim())];
                int n = in.readNBytes(body, 0, body.length);
                if (n < body.length) {
                    throw HttpError.badRequest("body: ended after " + n + " of " + body.length + " bytes (Content-Length); send the whole body");
                }
                return body;
            }
            byte[] body = in.readNBytes(maxBytes + 1);
            if (body.length > maxBytes) {
                throw HttpError.tooLarge("more than " + maxBytes, maxBytes);
            }
            return body;
        }

        @Override
        public void respond(int status, String contentType, byte[] body, String... headers) throws IOException {
            var h = exchange.getResponseHeaders();
            if (contentType != null) {
                h.set("Content-Type", contentType);
            }
            for (int i = 0; i + 1 < headers.length; i += 2) {
                h.set(headers[i], headers[i + 1]);
            }
            exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
            if (body.length > 0) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
        }
    }
}
