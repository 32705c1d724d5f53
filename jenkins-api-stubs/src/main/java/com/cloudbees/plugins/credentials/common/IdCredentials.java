package com.cloudbees.plugins.credentials.common;

import com.cloudbees.plugins.credentials.Credentials;
import edu.umd.cs.findbugs.annotations.NonNull;

/** STUB of credentials-plugin {@code com.cloudbees.plugins.credentials.common.IdCredentials}: the id only. */
public interface IdCredentials extends Credentials {
    @NonNull
    String getId();
}
