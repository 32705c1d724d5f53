package dev.mlops.serve;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * {@link ServeTransport} on Jetty 12's core API (no servlets): one acceptor, one selector and a
 * bounded {@link QueuedThreadPool}. Handlers run blocking on pool threads; the response is written
 * in one call with its Content-Length. No {@code Server} version header is sent.
 */
final class JettyTransport implements ServeTransport {
    private final Server server;
    private final ServerConnector connector;

    private JettyTransport(Server server, ServerConnector connector) {
        this.server = server;
        this.connector = connector;
    }

    static JettyTransport start(String host, int port, int threads, String name, Handler handler) throws IOException {
        int max = Math.max(threads + 4, 8);
        QueuedThreadPool pool = new QueuedThreadPool(max, Math.min(max, 8));
        pool.setName(name);
        pool.setDaemon(true);
        Server server = new Server(pool);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        ServerConnector connector = new ServerConnector(server, 1, 1, new HttpConnectionFactory(http));
        connector.setHost(host);
        connector.setPort(port);
        connector.setAcceptQueueSize(1024);
        server.addConnector(connector);
        server.setHandler(new org.eclipse.jetty.server.Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                Exchange exchange = new Exchange(request, response, callback);
                try {
                    handler.handle(exchange);
                } finally {
                    if (!exchange.responded) {
                        Response.writeError(request, response, callback, 500);
                    }
                }
                return true;
            }
        });
        server.setStopTimeout(0);
        try {
            server.start();
        } catch (IOException e) {
            stopQuietly(server);
            throw e;
        } catch (Exception e) {
            stopQuietly(server);
            throw new IOException(e.getMessage(), e);
        }
        return new JettyTransport(server, connector);
    }

    private static void stopQuietly(Server server) {
        try {
            server.stop();
        } catch (Exception ignored) {
            // already failing
        }
    }

    @Override
    public int port() {
        return connector.getLocalPort();
    }

    @Override
    public void stopAccepting() {
        // closes the listening socket only; open connections and requests in progress go on
        connector.close();
    }

    @Override
    public void close() {
        stopQuietly(server);
    }

    private static final class Exchange implements ServeExchange {
        private final Request request;
        private final Response response;
        private final Callback callback;
        private boolean responded;

        Exchange(Request request, Response response, Callback callback) {
            this.request = request;
            this.response = response;
            this.callback = callback;
        }

        @Override
        public String method() {
            return request.getMethod();
        }

        @Override
        public String path() {
            return request.getHttpURI().getPath();
        }

        @Override
        public String header(String name) {
            return request.getHeaders().get(name);
        }

        @Override
        public InetAddress remoteAddress() {
            SocketAddress address = request.getConnectionMetaData().getRemoteSocketAddress();
            return address instanceof InetSocketAddress inet ? inet.getAddress() : InetAddress.getLoopbackAddress();
        }

        @Override
        public byte[] body(int maxBytes) throws IOException {
            long declared = request.getLength();
            if (declared > maxBytes) {
                throw HttpError.tooLarge(String.valueOf(declared), maxBytes);
            }
            InputStream in = Content.Source.asInputStream(request);
            if (declared >= 0) {
                byte[] body = new byte[(int) declared];
                int n = in.readNBytes(body, 0, body.length);
                if (n < body.length) {
                    throw HttpError.badRequest("body: ended after " + n + " of " + declared + " bytes (Content-Length); send the whole body");
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
        public void respond(int status, String contentType, byte[] body, String... headers) {
            if (responded) {
                return;
            }
            responded = true;
            response.setStatus(status);
            var h = response.getHeaders();
            if (contentType != null) {
                h.put(HttpHeader.CONTENT_TYPE, contentType);
            }
            for (int i = 0; i + 1 < headers.length; i += 2) {
                h.put(headers[i], headers[i + 1]);
            }
            h.put(HttpHeader.CONTENT_LENGTH, body.length);
            response.write(true, ByteBuffer.wrap(body), callback);
        }
    }
}
