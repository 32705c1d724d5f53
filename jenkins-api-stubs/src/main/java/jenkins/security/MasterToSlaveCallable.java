package jenkins.security;

import jenkins.agents.ControllerToAgentCallable;

/** STUB of jenkins-core {@code jenkins.security.MasterToSlaveCallable}. */
public abstract class MasterToSlaveCallable<V, T extends Throwable> implements ControllerToAgentCallable<V, T> {
    private static final long serialVersionUID = 1L;
}
