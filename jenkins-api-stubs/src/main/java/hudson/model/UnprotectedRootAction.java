package hudson.model;

import hudson.ExtensionPoint;

/**
 * STUB of jenkins-core {@code hudson.model.UnprotectedRootAction} (same declaration): a
 * {@link RootAction} reachable by requests without Overall/Read, e.g. anonymous webhooks.
 */
public interface UnprotectedRootAction extends RootAction, ExtensionPoint {
}
