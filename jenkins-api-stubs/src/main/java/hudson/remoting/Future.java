package hudson.remoting;

/** STUB of remoting {@code hudson.remoting.Future}. */
public interface Future<V> extends java.util.concurrent.Future<V> {
}
