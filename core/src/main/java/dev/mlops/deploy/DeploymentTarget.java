package dev.mlops.deploy;

import dev.mlops.serve.TrafficPolicy;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where model versions run: a local process, a Kubernetes cluster, ... {@link #deploy} returns only
 * once the version answers {@code /v2/health/ready}; when it cannot, it stops what it started and
 * throws, leaving every other stage's deployment as it was.
 */
public interface DeploymentTarget {
    Deployment deploy(String model, int version, String stage, int port);

    /** The live deployment of a stage, if any. */
    Optional<Deployment> find(String stage);

    void stop(Deployment deployment);

    /** Changes the split of a running deployment (canary weight, back to 100% primary). */
    void setTraffic(Deployment deployment, TrafficPolicy policy);

    /**
     * Makes the stage serve {@code primary} with {@code canary} loaded beside it at weight 0, ready
     * for {@link #setTraffic}. A running deployment keeps running and answering: the canary is
     * loaded into it ({@link ServerAdmin#addCanary}); when that fails, it serves as before and the
     * error is thrown. With no deployment running, one is started on {@code port} first.
     */
    default Deployment deployWithCanary(String model, int primary, int canary, String stage, int port) {
        throw new DeployException("deploy: " + getClass().getSimpleName() + " cannot run a canary beside " + model + ":" + primary
                + "; use the local target for canary rollouts");
    }

    /**
     * Frees a version the deployment no longer routes to (the old primary after a promotion, the
     * candidate after a rollback). By default nothing is freed; the version stays loaded, unused.
     */
    default void unloadVersion(Deployment deployment, int version) {
    }

    /** Records that a deployment's primary is now {@code version} (after a promotion moved its traffic); returns the updated record. */
    default Deployment servesNow(Deployment deployment, int version) {
        return deployment;
    }

    /** Where the deployment writes its inference log (the canary analysis reads predictions from it), if known. */
    default Optional<Path> inferenceLog(Deployment deployment) {
        return Optional.empty();
    }
}
