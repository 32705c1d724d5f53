package dev.mlops.deploy;

import dev.mlops.error.AccessDeniedException;
import java.util.Set;

/**
 * Only the plan's listed approvers decide: an entry is a user id ({@code alice}) or a group
 * ({@code group:ml-leads}). A plan without approvers lets nobody decide through this gate.
 */
public final class ListedApprovers implements ApprovalGate {
    public static final String REFUSED = "cannot %s rollout %s of %s:%d: %s is not an approver; ask one of: %s";
    public static final String NOBODY = "cannot %s rollout %s of %s:%d: the plan lists no approvers; add gates.approval.approvers";

    @Override
    public void checkMayDecide(RolloutStatus status, String user, Set<String> groups, String action) {
        var approvers = status.plan().approvers();
        if (approvers.isEmpty()) {
            throw new AccessDeniedException(String.format(NOBODY, action, status.id(), status.model(), status.candidate()));
        }
        for (String entry : approvers) {
            if (entry.startsWith("group:") ? groups.contains(entry.substring("group:".length())) : entry.equals(user)) {
                return;
            }
        }
        throw new AccessDeniedException(String.format(REFUSED, action, status.id(), status.model(), status.candidate(), user,
                String.join(", ", approvers)));
    }
}
