package dev.mlops.train;

/** Where a training run stands. RUNNING is the only non-final state. */
public enum RunStatus {
    RUNNING,
    SUCCEEDED,
    FAILED,
    CANCELLED;

    public boolean isFinal() {
        return this != RUNNING;
    }
}
