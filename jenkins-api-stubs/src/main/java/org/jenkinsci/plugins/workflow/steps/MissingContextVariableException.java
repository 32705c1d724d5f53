package org.jenkinsci.plugins.workflow.steps;

import edu.umd.cs.findbugs.annotations.NonNull;

/**
 * STUB of workflow-step-api {@code MissingContextVariableException}. The real message also lists
 * the steps that could provide the missing type (for example {@code node}).
 */
public class MissingContextVariableException extends Exception {
    private final @NonNull Class<?> type;

    public MissingContextVariableException(@NonNull Class<?> type) {
        this.type = type;
    }

    public @NonNull Class<?> getType() {
        return type;
    }

    @Override
    public String getMessage() {
        return "Required context " + type + " is missing";
    }

    private static final long serialVersionUID = 1L;
}
