package jenkins.agents;

import hudson.remoting.Callable;
import jenkins.security.Roles;
import org.jenkinsci.remoting.RoleChecker;

/** STUB of jenkins-core {@code jenkins.agents.ControllerToAgentCallable} (recent core). */
public interface ControllerToAgentCallable<V, T extends Throwable> extends Callable<V, T> {
    @Override
    default void checkRoles(RoleChecker checker) throws SecurityException {
        checker.check(this, Roles.SLAVE);
    }
}
