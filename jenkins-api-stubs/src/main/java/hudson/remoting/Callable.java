package hudson.remoting;

import java.io.Serializable;
import org.jenkinsci.remoting.RoleSensitive;

/**
 * STUB of remoting {@code hudson.remoting.Callable}. Omitted: the defaults
 * {@code getChannelOrFail()} / {@code getOpenChannelOrFail()}, which need {@code Channel}.
 */
public interface Callable<V, T extends Throwable> extends Serializable, RoleSensitive {
    V call() throws T;
}
