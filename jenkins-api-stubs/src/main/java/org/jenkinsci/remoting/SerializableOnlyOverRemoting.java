package org.jenkinsci.remoting;

import java.io.Serializable;

/**
 * STUB of remoting {@code org.jenkinsci.remoting.SerializableOnlyOverRemoting}. Omitted: the
 * default {@code getChannelForSerDes()}, which needs {@code Channel}.
 */
public interface SerializableOnlyOverRemoting extends Serializable {
}
