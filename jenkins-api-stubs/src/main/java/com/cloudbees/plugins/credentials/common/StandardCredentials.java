package com.cloudbees.plugins.credentials.common;

import edu.umd.cs.findbugs.annotations.NonNull;

/**
 * STUB of credentials-plugin {@code com.cloudbees.plugins.credentials.common.StandardCredentials}
 * (the real one is also {@code @Recommended} and {@code @NameWith}).
 */
public interface StandardCredentials extends IdCredentials {
    @NonNull
    String getDescription();
}
