package jenkins.model;

import hudson.model.TaskListener;
import java.io.Serializable;

/**
 * STUB of jenkins-core {@code jenkins.model.CauseOfInterruption} (needed by
 * {@code FlowInterruptedException}). The real class is also {@code @ExportedBean} and has the
 * nested {@code UserInterruption}; omitted.
 */
public abstract class CauseOfInterruption implements Serializable {
    public abstract String getShortDescription();

    public void print(TaskListener listener) {
        listener.getLogger().println(getShortDescription());
    }

    private static final long serialVersionUID = 1L;
}
