package hudson.util;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import java.io.Serializable;

/**
 * STUB of jenkins-core {@code hudson.util.Secret} ({@code public final class Secret implements
 * Serializable}): a string kept encrypted on disk. Here {@link #fromString} keeps the plain text as is
 * (the real one first tries to decrypt it); encryption, {@code getEncryptedValue()} and
 * {@code toString(Secret)} are omitted. Unlike the real deprecated {@code toString()}, which returns
 * the plain text, the stub's inherited {@code toString()} never shows it.
 */
public final class Secret implements Serializable {
    private static final long serialVersionUID = 1L;
    private final String value;

    private Secret(String value) {
        this.value = value;
    }

    /** The unencrypted value. */
    @NonNull
    public String getPlainText() {
        return value;
    }

    @NonNull
    public static Secret fromString(@CheckForNull String data) {
        return new Secret(data == null ? "" : data);
    }
}
