package dev.mlops.deploy;

import dev.mlops.serve.TrafficPolicy;
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
}
