package dev.mlops.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.error.ConflictException;
import dev.mlops.error.InvalidInputException;
import dev.mlops.error.NotFoundException;
import dev.mlops.json.Json;
import dev.mlops.serve.TrafficPolicy;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/**
 * What every target does with a started model server, over its HTTP endpoints: wait until
 * {@code /v2/health/ready} answers, change the traffic split through {@code /admin/traffic}, and
 * load or unload versions in the running server through {@code /admin/versions} (so a canary is
 * put beside production without restarting it).
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

    /**
     * Loads {@code canary} into the running {@code production} server beside its primary, at no
     * traffic: the shared part of every target's {@link DeploymentTarget#deployWithCanary}.
     * Production keeps answering throughout; when the load fails, nothing changed and the error
     * (unknown version, load failure, refused token) is thrown.
     */
    public Deployment addCanary(Deployment production, String model, int primary, int canary, String token, Duration timeout) {
        if (!production.model().equals(model) || production.version() != primary) {
            throw new ConflictException("stage: " + production.stage() + " runs " + production.model() + ":" + production.version()
                    + ", but the canary of " + model + ":" + canary + " compares with " + model + ":" + primary
                    + "; check `mlops deploy status " + model + "` and what production serves");
        }
        loadVersion(production, model, canary, token, timeout);
        return production;
    }

    /**
     * Asks the server of {@code deployment} to load {@code model:version} and waits until it is
     * ready; a {@link NotFoundException} when the registry has no such version, a
     * {@link DeployException} when loading fails or takes longer than {@code timeout}.
     */
    public void loadVersion(Deployment deployment, String model, int version, String token, Duration timeout) {
        URI versions = versionsUri(deployment, token);
        String ref = model + ":" + version;
        ServerClient.Response r = client.post(versions, Json.toString(java.util.Map.of("model", model, "version", version)), token);
        if (r.status() == 404 && error(r).startsWith("no admin endpoint")) {
            throw new DeployException("deploy: the server of " + deployment.stage() + " cannot load versions while it runs (its mlops is"
                    + " older than this one); restart it once with the current mlops (`mlops deploy " + deployment.model() + ":"
                    + deployment.version() + " --stage " + deployment.stage() + "` after stopping it), then retry");
        }
        if (r.status() == 404) {
            throw new NotFoundException("deploy: the server of " + deployment.stage() + " cannot load " + ref + ": " + error(r));
        }
        if (r.status() != 200 && r.status() != 202) {
            throw new DeployException("deploy: the server of " + deployment.stage() + " refused to load " + ref + " (HTTP " + r.status()
                    + "): " + error(r));
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            JsonNode status = status(versions, token, model, version);
            String state = status == null ? "missing" : status.path("state").asText();
            if (state.equals("ready")) {
                return;
            }
            if (!state.equals("loading")) {
                throw new DeployException("deploy: loading " + ref + " into " + deployment.stage() + " failed"
                        + (status == null ? "" : ": " + status.path("error").asText()) + "; it keeps serving what it served");
            }
            if (System.nanoTime() > deadline) {
                throw new DeployException("deploy: " + ref + " was not loaded into " + deployment.stage() + " within " + timeout.toSeconds()
                        + " s; it keeps serving what it served (raise --health-timeout for large models)");
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new DeployException("deploy: interrupted while " + ref + " loaded into " + deployment.stage());
            }
        }
    }

    /** Unloads {@code model:version} from the server of {@code deployment}; a {@link ConflictException} while a policy routes to it. */
    public void unloadVersion(Deployment deployment, String model, int version, String token) {
        URI uri = versionsUri(deployment, token).resolve("/admin/versions/" + model + "/" + version);
        ServerClient.Response r = client.delete(uri, token);
        if (r.status() == 409) {
            throw new ConflictException("deploy: " + deployment.stage() + " still needs " + model + ":" + version + ": " + error(r));
        }
        if (r.status() != 200) {
            throw new DeployException("deploy: the server of " + deployment.stage() + " did not unload " + model + ":" + version
                    + " (HTTP " + r.status() + "): " + error(r));
        }
    }

    private JsonNode status(URI versions, String token, String model, int version) {
        ServerClient.Response r = client.get(versions, token);
        if (r.status() != 200) {
            throw new DeployException("deploy: " + versions + " answered HTTP " + r.status() + ": " + error(r));
        }
        try {
            for (JsonNode v : Json.mapper().readTree(r.body()).path("versions")) {
                if (v.path("model").asText().equals(model) && v.path("version").asInt() == version) {
                    return v;
                }
            }
            return null;
        } catch (IOException e) {
            throw new DeployException("deploy: " + versions + " answered something that is not JSON: " + r.body());
        }
    }

    private static URI versionsUri(Deployment deployment, String token) {
        if (deployment.adminPort() == null || token == null) {
            throw new InvalidInputException("versions: " + deployment.stage() + " runs without an admin listener; set MLOPS_ADMIN_TOKEN"
                    + " (16+ characters) before deploying");
        }
        return URI.create("http://127.0.0.1:" + deployment.adminPort() + "/admin/versions");
    }

    /** The {@code error} of a JSON error body, or the body itself. */
    private static String error(ServerClient.Response r) {
        try {
            JsonNode node = Json.mapper().readTree(r.body());
            return node != null && node.hasNonNull("error") ? node.get("error").asText() : r.body();
        } catch (IOException e) {
            return r.body();
        }
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
