package dev.mlops.jenkins.support;

import hudson.model.Run;
import jenkins.model.RunAction2;

/**
 * A page attached to a build. Subclasses keep only plain values, persisted with the build
 * (build.xml); the build itself is transient and restored by Jenkins through {@link #onLoad}.
 */
public abstract class BuildPageAction implements RunAction2 {
    private transient Run<?, ?> run;

    @Override
    public void onAttached(Run<?, ?> r) {
        this.run = r;
    }

    @Override
    public void onLoad(Run<?, ?> r) {
        this.run = r;
    }

    public Run<?, ?> getRun() {
        return run;
    }
}
