package dev.mlops.deploy;

import dev.mlops.error.InvalidInputException;
import dev.mlops.json.Json;
import dev.mlops.serve.TrafficPolicy;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/**
 * What every target does with a started model server, over its HTTP endpoints: wait until
 * {@code /v2/health/ready} answers, and change the traffic split through {@code /admin/traffic}.
 */
public final class ServerAdmin {
    private final ServerClient client;

    public ServerAdmin(ServerClient client) {
        this.client = client;
    }

    /** Why a started server can no longer become ready (it exited, ...), or empty while it may still. */
    @FunctionalInterface
    public interface Liveness {
        Optional<String> failure();
    }

    /** The outcome of {@link #awaitReady}: ready, or the reason it is not. */
    public record Readiness(boolean ready, String reason) {
    }

    /** Polls {@code url}/v2/health/ready until it answers 200, {@code liveness} reports a failure, or {@code timeout} passes. */
    public Readiness awaitReady(URI url, Duration timeout, Liveness liveness) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!client.ready(url)) {
            Optional<String> failure = liveness.failure();
            if (failure.isPresent()) {
                return new Readiness(false, failure.get());
            }
            if (System.nanoTime() > deadline) {
                return new Readiness(false, "did not answer " + url.resolve("/v2/health/ready") + " within " + timeout.toSeconds() + " s");
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new DeployException("deploy: interrupted while waiting for " + url + " to be ready");
            }
        }
        return new Readiness(true, null);
    }

    /** POSTs {@code policy} to the admin listener of {@code deployment}, authenticated with {@code token}. */
    public void setTraffic(Deployment deployment, TrafficPolicy policy, String token) {
        if (deployment.adminPort() == null || token == null) {
            throw new InvalidInputException("traffic: " + deployment.stage() + " runs without an admin listener; set MLOPS_ADMIN_TOKEN before deploying");
        }
        ServerClient.Response r = client.post(URI.create("http://127.0.0.1:" + deployment.adminPort() + "/admin/traffic"), Json.toString(policy), token);
        if (r.status() != 200) {
            throw new DeployException("traffic: the server of " + deployment.stage() + " refused the policy (HTTP " + r.status() + "): " + r.body());
        }
    }
}
