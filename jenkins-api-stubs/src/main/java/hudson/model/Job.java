package hudson.model;

import java.io.IOException;

/**
 * STUB of jenkins-core {@code hudson.model.Job}. Keeps a build-number counter so a stub
 * {@link Run} gets consecutive numbers. The real class implements more interfaces
 * ({@code ExtensionPoint, StaplerOverridable, ModelObjectWithChildren, ...}) and declares abstract
 * members ({@code isBuildable()}, {@code _getRuns()}, {@code removeRun}) omitted here; its lookups
 * ({@code getLastBuild()}, {@code getBuildByNumber(int)}, {@code getProperty(Class)}) throw.
 */
public abstract class Job<JobT extends Job<JobT, RunT>, RunT extends Run<JobT, RunT>> extends AbstractItem {
    protected transient volatile int nextBuildNumber = 1;

    protected Job(ItemGroup parent, String name) {
        super(parent, name);
    }

    public synchronized int assignBuildNumber() throws IOException {
        return nextBuildNumber++;
    }

    public int getNextBuildNumber() {
        return nextBuildNumber;
    }

    public RunT getLastBuild() {
        throw new UnsupportedOperationException("stub");
    }

    public RunT getLastSuccessfulBuild() {
        throw new UnsupportedOperationException("stub");
    }

    public RunT getBuildByNumber(int n) {
        throw new UnsupportedOperationException("stub");
    }
}
