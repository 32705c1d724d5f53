package org.jenkinsci.plugins.workflow.steps;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import java.io.Serializable;

/**
 * STUB of workflow-step-api {@code StepExecution}. Omitted: {@code getStatusBounded},
 * {@code applyAll} and {@code acceptAll} (need Jenkins' timer and step-execution registry).
 */
public abstract class StepExecution implements Serializable {

    private StepContext context;

    /** @deprecated Avoid Guice; pass the context. */
    @Deprecated
    protected StepExecution() {
    }

    protected StepExecution(@NonNull StepContext context) {
        this.context = context;
    }

    public @NonNull StepContext getContext() {
        if (context == null) {
            throw new IllegalStateException("you must either pass in a StepContext to the StepExecution constructor, or have the StepExecution be created automatically");
        }
        return context;
    }

    public abstract boolean start() throws Exception;

    public void stop(@NonNull Throwable cause) throws Exception {
        getContext().onFailure(cause);
    }

    public void onResume() {
    }

    public @CheckForNull String getStatus() {
        return null;
    }

    public boolean blocksRestart() {
        return false;
    }

    private static final long serialVersionUID = 1L;
}
