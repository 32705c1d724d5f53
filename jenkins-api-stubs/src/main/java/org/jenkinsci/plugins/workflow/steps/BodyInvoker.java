package org.jenkinsci.plugins.workflow.steps;

/**
 * STUB of workflow-step-api {@code BodyInvoker}, deliberately EMPTY: no block-scoped step is
 * written in this project yet. The real class has {@code withContext}, {@code withContexts},
 * {@code withDisplayName}, {@code withCallback} and {@code start()}.
 */
public abstract class BodyInvoker {
}
