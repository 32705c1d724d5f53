package hudson.model;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.EnvVars;
import hudson.ExtensionPoint;
import java.io.File;
import java.io.IOException;
import jenkins.model.RunAction2;

/**
 * STUB of jenkins-core {@code hudson.model.Run}, with working identity, URL, result and action
 * behaviour. {@link #addAction} calls {@link RunAction2#onAttached} exactly like the real class.
 * Differences: the real class also implements {@code AccessControlled, PersistenceRoot,
 * DescriptorByNameOwner, OnMaster, StaplerProxy, HistoricalBuild, WithConsoleUrl} and tracks a
 * build state ({@code setResult} fails before the build starts); {@link #save()} is a no-op here
 * (the real one writes build.xml); storage and environment lookups throw.
 */
public abstract class Run<JobT extends Job<JobT, RunT>, RunT extends Run<JobT, RunT>>
        extends Actionable implements ExtensionPoint, Comparable<RunT> {

    @NonNull
    protected final transient JobT project;

    /** Build number, as in the real class a public field. */
    public transient int number;

    protected long timestamp;

    protected volatile Result result;

    @CheckForNull
    protected volatile String description;

    private volatile String displayName;

    protected Run(@NonNull JobT job) throws IOException {
        this(job, System.currentTimeMillis());
        this.number = project.assignBuildNumber();
    }

    protected Run(@NonNull JobT job, long timestamp) {
        this.project = job;
        this.timestamp = timestamp;
    }

    @Override
    public void addAction(@NonNull Action a) {
        super.addAction(a);
        if (a instanceof RunAction2 runAction) {
            runAction.onAttached(this);
        }
    }

    /** Calls {@link RunAction2#onLoad} on attached actions, as the real class does after loading. */
    protected void onLoad() {
        for (Action a : getAllActions()) {
            if (a instanceof RunAction2 runAction) {
                runAction.onLoad(this);
            }
        }
    }

    @SuppressWarnings("unchecked")
    @NonNull
    protected RunT _this() {
        return (RunT) this;
    }

    @Override
    public int compareTo(@NonNull RunT that) {
        int res = this.number - that.number;
        return res != 0 ? res : getParent().getFullName().compareTo(that.getParent().getFullName());
    }

    @NonNull
    public JobT getParent() {
        return project;
    }

    public int getNumber() {
        return number;
    }

    @NonNull
    public String getId() {
        return Integer.toString(number);
    }

    @NonNull
    public String getUrl() {
        return project.getUrl() + getNumber() + '/';
    }

    /** The real method prefixes the Jenkins root URL; the stub has none and returns {@link #getUrl()}. */
    @NonNull
    public String getAbsoluteUrl() {
        return getUrl();
    }

    @NonNull
    public String getExternalizableId() {
        return project.getFullName() + "#" + getNumber();
    }

    @Override
    @NonNull
    public String getDisplayName() {
        return displayName != null ? displayName : "#" + number;
    }

    public void setDisplayName(String value) throws IOException {
        this.displayName = value;
    }

    @NonNull
    public String getFullDisplayName() {
        return project.getFullDisplayName() + ' ' + getDisplayName();
    }

    @CheckForNull
    public String getDescription() {
        return description;
    }

    public void setDescription(String description) throws IOException {
        this.description = description;
    }

    public long getTimeInMillis() {
        return timestamp;
    }

    @CheckForNull
    public Result getResult() {
        return result;
    }

    /** Result can only get worse, as in the real class. */
    public void setResult(@NonNull Result r) {
        if (result == null || r.isWorseThan(result)) {
            result = r;
        }
    }

    /** No-op in the stub; the real method persists build.xml. */
    public synchronized void save() throws IOException {
    }

    @NonNull
    public File getRootDir() {
        throw new UnsupportedOperationException("stub");
    }

    @NonNull
    public EnvVars getEnvironment(@NonNull TaskListener listener) throws IOException, InterruptedException {
        throw new UnsupportedOperationException("stub");
    }

    @Override
    public String toString() {
        return project.getFullName() + " #" + number;
    }
}
