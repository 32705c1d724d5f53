package org.jenkinsci.plugins.workflow.steps;

/**
 * STUB of workflow-step-api {@code AbstractStepExecutionImpl} (deprecated upstream in favour of
 * extending {@link StepExecution} directly). The real {@code onResume()} re-injects
 * {@code @StepContextParameter} fields with Guice; the stub does nothing.
 */
@Deprecated
public abstract class AbstractStepExecutionImpl extends StepExecution {

    protected AbstractStepExecutionImpl() {
    }

    protected AbstractStepExecutionImpl(StepContext context) {
        super(context);
    }

    private static final long serialVersionUID = 1L;
}
