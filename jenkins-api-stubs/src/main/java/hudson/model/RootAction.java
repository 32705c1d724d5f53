package hudson.model;

import hudson.ExtensionPoint;

/** STUB of jenkins-core {@code hudson.model.RootAction} (same declaration): an {@link Action} bound to the Jenkins root URL. */
public interface RootAction extends Action, ExtensionPoint {
}
