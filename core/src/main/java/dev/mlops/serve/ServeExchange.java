package dev.mlops.serve;

import java.io.IOException;
import java.net.InetAddress;

/**
 * One HTTP exchange as the server's handlers see it, whatever the HTTP stack underneath: the seam
 * that lets the same routes run on the JDK server or another one.
 */
interface ServeExchange {
    String method();

    /** The raw request path, without the query string. */
    String path();

    /** A request header by lower-case name, or null. */
    String header(String name);

    InetAddress remoteAddress();

    /** Reads the whole body; more than {@code maxBytes} is a 413 {@link HttpError}. */
    byte[] body(int maxBytes) throws IOException;

    /**
     * Sends the response and completes the exchange. {@code headers} are name/value pairs.
     * An empty body is sent with {@code Content-Length: 0}.
     */
    void respond(int status, String contentType, byte[] body, String... headers) throws IOException;
}
