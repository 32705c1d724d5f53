package com.cloudbees.plugins.credentials;

import edu.umd.cs.findbugs.annotations.NonNull;
import java.io.Serializable;

/**
 * STUB of credentials-plugin {@code com.cloudbees.plugins.credentials.CredentialsMatcher} (same
 * declaration: {@code public interface CredentialsMatcher extends Serializable}); the nested
 * {@code CQL} interface is omitted.
 */
public interface CredentialsMatcher extends Serializable {
    boolean matches(@NonNull Credentials item);
}
