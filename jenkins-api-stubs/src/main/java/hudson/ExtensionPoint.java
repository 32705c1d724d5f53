package hudson;

/**
 * STUB of jenkins-core {@code hudson.ExtensionPoint}: marker interface for extension points.
 */
public interface ExtensionPoint {
}
