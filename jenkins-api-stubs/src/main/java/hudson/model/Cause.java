package hudson.model;

/**
 * STUB of jenkins-core {@code hudson.model.Cause} ({@code @ExportedBean public abstract class Cause}):
 * why a build was started, shown as "Started by ..." on the build page. Only
 * {@link #getShortDescription()} is mirrored; {@code onAddedTo(Run)}, {@code onLoad(Run)},
 * {@code print(TaskListener)} and the nested causes ({@code UserIdCause}, {@code RemoteCause}, ...) are omitted.
 */
public abstract class Cause {
    /** One line for the build page, e.g. "Started by user alice". */
    public abstract String getShortDescription();
}
