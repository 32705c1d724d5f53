package dev.mlops.deploy;

import dev.mlops.error.StorageUnavailableException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** Talks to a model server over real HTTP: health, /metrics and KServe v2 infer. */
public final class ServerClient {
    private final HttpClient http;
    private final Duration timeout;

    public ServerClient(Duration timeout) {
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
        this.timeout = timeout;
    }

    public record Response(int status, String body) {
    }

    public Response get(URI uri) {
        return send(HttpRequest.newBuilder(uri).timeout(timeout).GET().build());
    }

    public Response get(URI uri, String bearer) {
        return send(authorized(HttpRequest.newBuilder(uri).timeout(timeout).GET(), bearer).build());
    }

    public Response delete(URI uri, String bearer) {
        return send(authorized(HttpRequest.newBuilder(uri).timeout(timeout).DELETE(), bearer).build());
    }

    private static HttpRequest.Builder authorized(HttpRequest.Builder b, String bearer) {
        return bearer == null ? b : b.header("authorization", "Bearer " + bearer);
    }

    public Response post(URI uri, String json, String bearer) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(timeout).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
        if (bearer != null) {
            b.header("authorization", "Bearer " + bearer);
        }
        return send(b.build());
    }

    /** True when {@code base}/v2/health/ready answers 200; false when it answers otherwise or not at all. */
    public boolean ready(URI base) {
        try {
            return http.send(HttpRequest.newBuilder(base.resolve("/v2/health/ready")).timeout(timeout).GET().build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    public MetricsSnapshot metrics(URI base) {
        Response r = get(base.resolve("/metrics"));
        if (r.status() != 200) {
            throw new StorageUnavailableException("metrics: " + base.resolve("/metrics") + " answered " + r.status() + "; is it a model server?");
        }
        return MetricsSnapshot.parse(r.body());
    }

    private Response send(HttpRequest request) {
        try {
            HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return new Response(r.statusCode(), r.body());
        } catch (IOException e) {
            throw new StorageUnavailableException("http: " + request.method() + " " + request.uri() + " failed (" + e.getMessage()
                    + "); check the server is running and the URL is right");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StorageUnavailableException("http: " + request.uri() + " interrupted");
        }
    }
}
