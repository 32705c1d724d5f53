package com.cloudbees.plugins.credentials;

import hudson.ExtensionPoint;
import hudson.model.Describable;
import java.io.Serializable;

/**
 * STUB of credentials-plugin {@code com.cloudbees.plugins.credentials.Credentials} (same declaration:
 * {@code public interface Credentials extends Describable<Credentials>, Serializable, ExtensionPoint}).
 * Its members {@code CredentialsScope getScope()} and {@code CredentialsDescriptor getDescriptor()} are
 * omitted (no scope/descriptor stubs), so a test implementation needs neither.
 */
public interface Credentials extends Describable<Credentials>, Serializable, ExtensionPoint {
}
