package jenkins.security;

import org.jenkinsci.remoting.Role;

/** STUB of jenkins-core {@code jenkins.security.Roles}. */
public final class Roles {
    /** The controller JVM. */
    public static final Role MASTER = new Role("master");
    /** An agent JVM. */
    public static final Role SLAVE = new Role("slave");

    private Roles() {
    }
}
