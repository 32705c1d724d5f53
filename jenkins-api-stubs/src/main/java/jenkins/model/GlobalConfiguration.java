package jenkins.model;

import hudson.ExtensionPoint;
import hudson.model.Describable;
import hudson.model.Descriptor;

/**
 * STUB of jenkins-core {@code jenkins.model.GlobalConfiguration} ({@code public abstract class
 * GlobalConfiguration extends Descriptor<GlobalConfiguration> implements ExtensionPoint,
 * Describable<GlobalConfiguration>}): a section of Manage Jenkins » System, a singleton
 * {@code @Extension} whose fields are bound from {@code config.jelly} through {@code @DataBoundSetter}
 * (the real default {@code configure(StaplerRequest2, JSONObject)} calls {@code req.bindJSON(this, json)}
 * and then {@code save()}).
 * Differences: {@link #load()} and {@link #save()} are declared here because the {@code Descriptor}
 * stub has no persistence (the real ones are inherited from {@code Descriptor} and read/write
 * {@code <JENKINS_HOME>/<id>.xml}); here they do nothing. The real constructor passes {@code self()}
 * so that {@code clazz} is the subclass; the stub's {@code clazz} is {@code GlobalConfiguration}.
 */
public abstract class GlobalConfiguration extends Descriptor<GlobalConfiguration>
        implements ExtensionPoint, Describable<GlobalConfiguration> {

    protected GlobalConfiguration() {
        super(GlobalConfiguration.class);
    }

    @Override
    public final Descriptor<GlobalConfiguration> getDescriptor() {
        return this;
    }

    /** Reads the saved configuration into this object's fields (no-op here). */
    public synchronized void load() {
    }

    /** Writes this object's fields (no-op here). */
    public synchronized void save() {
    }
}
