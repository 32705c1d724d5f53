package dev.mlops.serve;

/** A listening HTTP server that passes every exchange to one handler. */
interface ServeTransport {
    /** The bound port (the chosen one when 0 was asked for). */
    int port();

    /** Closes the listening socket; exchanges in progress go on. */
    void stopAccepting();

    /** Closes every connection and stops the worker threads. */
    void close();

    @FunctionalInterface
    interface Handler {
        void handle(ServeExchange exchange);
    }
}
