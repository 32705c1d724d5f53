package dev.mlops.jenkins.deploy;

import hudson.model.Action;
import java.util.List;

/** Who decided an mlopsApprove gate, how (approved/aborted), when, and on which evidence; saved with the build. */
public class ApproverAction implements Action {
    private final String gateId;
    private final String userId;
    private final String decision;
    private final String at;
    private final List<String> evidence;

    public ApproverAction(String gateId, String userId, String decision, String at, List<String> evidence) {
        this.gateId = gateId;
        this.userId = userId;
        this.decision = decision;
        this.at = at;
        this.evidence = evidence == null ? List.of() : List.copyOf(evidence);
    }

    public String getGateId() {
        return gateId;
    }

    public String getUserId() {
        return userId;
    }

    public String getDecision() {
        return decision;
    }

    public String getAt() {
        return at;
    }

    public List<String> getEvidence() {
        return evidence;
    }

    @Override
    public String getIconFileName() {
        return null;
    }

    @Override
    public String getDisplayName() {
        return "mlopsApprove " + gateId + ": " + decision + " by " + userId;
    }

    @Override
    public String getUrlName() {
        return null;
    }
}
