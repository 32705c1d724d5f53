package dev.mlops.serve;

/** An error answered with a status code and {@code {"error": message}}; the message names what is expected. */
final class HttpError extends RuntimeException {
    private final int status;

    HttpError(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    int status() {
        return status;
    }

    static HttpError badRequest(String message) {
        return new HttpError(400, message);
    }

    static HttpError notFound(String message) {
        return new HttpError(404, message);
    }

    static HttpError tooLarge(String size, int maxBytes) {
        return new HttpError(413, "body: " + size + " bytes is over the limit of " + maxBytes
                + " bytes; send smaller batches or start the server with a larger --max-body-bytes");
    }
}
