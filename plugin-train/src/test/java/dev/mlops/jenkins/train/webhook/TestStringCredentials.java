package dev.mlops.jenkins.train.webhook;

import hudson.util.Secret;
import org.jenkinsci.plugins.plaincredentials.StringCredentials;

/** A Secret text credential as the credentials store would return it. */
record TestStringCredentials(String id, String value) implements StringCredentials {
    @Override
    public String getId() {
        return id;
    }

    @Override
    public String getDescription() {
        return "";
    }

    @Override
    public Secret getSecret() {
        return Secret.fromString(value);
    }
}
