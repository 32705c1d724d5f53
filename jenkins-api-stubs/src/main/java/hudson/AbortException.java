package hudson;

import java.io.IOException;

/**
 * STUB of jenkins-core {@code hudson.AbortException} (same declaration): fails a build with only
 * its message, no stack trace.
 */
public class AbortException extends IOException {
    public AbortException() {
    }

    public AbortException(String message) {
        super(message);
    }

    private static final long serialVersionUID = 1L;
}
