package dev.mlops.deploy;

/**
 * The closed set of rollout states. {@link #isFinal()} marks the four that end a rollout: no event
 * moves a rollout out of them; a new candidate starts a new rollout.
 */
public enum RolloutState {
    PENDING,
    STAGING_DEPLOYED,
    SMOKE_PASSED,
    AWAITING_APPROVAL,
    APPROVED,
    /** Canary traffic is on; {@link RolloutStatus#stepIndex()} says which step. */
    CANARY,
    /** An analysis was inconclusive: waits for a human to resume, promote or abort. Never proceeds by itself. */
    PAUSED_INCONCLUSIVE,
    PROMOTED,
    ROLLED_BACK,
    ABORTED,
    FAILED;

    public boolean isFinal() {
        return this == PROMOTED || this == ROLLED_BACK || this == ABORTED || this == FAILED;
    }
}
