package dev.mlops.jenkins.deploy;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * The arguments of one {@code mlopsDeploy} call, sent to the agent. {@link #problems()} lists every bad
 * argument at once, each naming the argument and the fix.
 */
record DeployArgs(String action, String model, Integer version, Integer port, List<String> approvers, String holdout, String label,
                  int rows, String approver, List<String> groups, List<String> evidence, double stepSeconds, String traffic, double rps,
                  String reason, Integer to, String registry, String deployments) implements Serializable {
    static final List<String> ACTIONS = List.of("staging", "smoke", "approve", "canary", "resume", "abort", "rollback", "status");

    DeployArgs {
        approvers = approvers == null ? List.of() : List.copyOf(approvers);
        groups = groups == null ? List.of() : List.copyOf(groups);
        evidence = evidence == null ? List.of() : List.copyOf(evidence);
        deployments = deployments == null ? ".mlops/deployments" : deployments;
    }

    List<String> problems() {
        List<String> problems = new ArrayList<>();
        if (action == null || !ACTIONS.contains(action)) {
            problems.add("action: must be one of " + String.join(", ", ACTIONS) + "; got '" + action + "'");
        }
        if (model == null) {
            problems.add("model: required, e.g. model: 'churn'");
        }
        if ("staging".equals(action) && version == null) {
            problems.add("version: required for action 'staging', e.g. version: registered.version");
        }
        if ("smoke".equals(action) && holdout == null) {
            problems.add("holdout: required for action 'smoke', e.g. holdout: 'data/holdout.csv'");
        }
        if (List.of("approve", "resume", "abort").contains(action) && approver == null) {
            problems.add("approver: required for action '" + action + "': a listed approver's user id, e.g. approver: 'alice'");
        }
        if (!(stepSeconds > 0)) {
            problems.add("stepSeconds: " + stepSeconds + " is not positive; give seconds such as 60");
        }
        if (rows < 1) {
            problems.add("rows: " + rows + " is below 1; give how many holdout rows to send, such as 100");
        }
        return problems;
    }

    String ref() {
        return model + (version == null ? "" : ":" + version);
    }

    private static final long serialVersionUID = 1L;
}
