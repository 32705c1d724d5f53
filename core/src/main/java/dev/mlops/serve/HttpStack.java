package dev.mlops.serve;

/**
 * The HTTP server under the routes. Both run the same {@link ServeExchange} handlers; JETTY is the
 * default because it measured faster with a fraction of the garbage (bench/serve.sh, docs/serving.md).
 */
public enum HttpStack {
    /** Eclipse Jetty 12 (core API, no servlets). */
    JETTY,
    /** The JDK's built-in {@code com.sun.net.httpserver.HttpServer}. */
    JDK
}
