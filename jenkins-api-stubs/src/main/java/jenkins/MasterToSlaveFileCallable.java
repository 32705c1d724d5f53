package jenkins;

import jenkins.agents.ControllerToAgentFileCallable;

/**
 * STUB of jenkins-core {@code jenkins.MasterToSlaveFileCallable}: a {@code FileCallable} meant to
 * run on an agent. Exists across all supported core versions, so plugins extend this rather than
 * the newer {@link ControllerToAgentFileCallable}.
 */
public abstract class MasterToSlaveFileCallable<T> implements ControllerToAgentFileCallable<T> {
    private static final long serialVersionUID = 1L;
}
