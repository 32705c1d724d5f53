package dev.mlops.deploy;

import java.util.Set;

/**
 * Who may decide on a rollout (approve, reject, resume, promote, abort). Implementations refuse
 * with an {@link dev.mlops.error.AccessDeniedException} whose message names who may decide.
 */
public interface ApprovalGate {
    /**
     * @param user   the user id asking
     * @param groups the groups the user belongs to (as the caller's identity provider says)
     * @param action what they want to do ("approve", "abort", ...), for the message
     */
    void checkMayDecide(RolloutStatus status, String user, Set<String> groups, String action);
}
