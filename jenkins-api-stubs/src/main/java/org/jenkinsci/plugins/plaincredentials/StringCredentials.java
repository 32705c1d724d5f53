package org.jenkinsci.plugins.plaincredentials;

import com.cloudbees.plugins.credentials.common.StandardCredentials;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.util.Secret;

/**
 * STUB of plain-credentials-plugin {@code org.jenkinsci.plugins.plaincredentials.StringCredentials}
 * ("Secret text" credentials). The real interface is also {@code @NameWith(StringCredentials.NameProvider.class)}
 * and has the nested {@code NameProvider}; omitted.
 */
public interface StringCredentials extends StandardCredentials {
    /** The wrapped secret value. */
    @NonNull
    Secret getSecret();
}
