package hudson.security;

/**
 * STUB of jenkins-core {@code hudson.security.ACLContext} ({@code public class ACLContext implements
 * AutoCloseable}): {@link #close()} restores the previous security context. Only {@code ACL.as2}
 * creates one (package-private constructor, as in the real class); {@code getPreviousContext2()} is
 * omitted (no Spring {@code SecurityContext} stub).
 */
public class ACLContext implements AutoCloseable {
    ACLContext() {
    }

    @Override
    public void close() {
    }
}
