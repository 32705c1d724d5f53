package org.jenkinsci.plugins.workflow.steps;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.model.Result;
import java.util.Arrays;
import java.util.List;
import jenkins.model.CauseOfInterruption;

/**
 * STUB of workflow-step-api {@code FlowInterruptedException}. Omitted: {@code handle(Run,
 * TaskListener)}, which needs {@code InterruptedBuildAction}.
 */
public final class FlowInterruptedException extends InterruptedException {

    private final @NonNull Result result;
    private final @NonNull List<CauseOfInterruption> causes;
    private boolean actualInterruption;

    public FlowInterruptedException(@NonNull Result result, @NonNull CauseOfInterruption... causes) {
        this(result, true, causes);
    }

    public FlowInterruptedException(@NonNull Result result, boolean actualInterruption, @NonNull CauseOfInterruption... causes) {
        this.result = result;
        this.causes = Arrays.asList(causes);
        this.actualInterruption = actualInterruption;
    }

    public @NonNull Result getResult() {
        return result;
    }

    public @NonNull List<CauseOfInterruption> getCauses() {
        return causes;
    }

    public boolean isActualInterruption() {
        return actualInterruption;
    }

    public void setActualInterruption(boolean actualInterruption) {
        this.actualInterruption = actualInterruption;
    }

    private static final long serialVersionUID = 1L;
}
