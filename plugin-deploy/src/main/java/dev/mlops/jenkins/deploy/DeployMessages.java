package dev.mlops.jenkins.deploy;

/** What the mlopsDeploy step says, in one place, so tests assert the same text. */
final class DeployMessages {
    static final String FUNCTION_NAME = "mlopsDeploy";
    static final String DISPLAY_NAME = "Staged model rollout: staging, smoke, approval, canary with automatic rollback";
    static final String NO_SERVE_COMMAND = "mlopsDeploy: %s starts a model server on this agent, which needs the mlops CLI: set MLOPS_CLI "
            + "to the command that runs it (e.g. java -jar /opt/mlops/mlops-0.1.0.jar) in the agent's or the pipeline's environment";

    private DeployMessages() {
    }

    static String failed(String message) {
        return "mlopsDeploy: " + message;
    }

    static String bad(java.util.List<String> problems) {
        return "mlopsDeploy: " + String.join("; ", problems);
    }

    static String state(String action, String ref, String state, String url) {
        return "mlopsDeploy: " + action + " of " + ref + ": " + state + (url == null ? "" : " at " + url);
    }

    static String rolledBack(String action, String ref, String state, String why, Integer previous, String model) {
        return "mlopsDeploy: " + action + " of " + ref + " ended " + state + ": " + why
                + ("ROLLED_BACK".equals(state) && previous != null ? "; 100% of traffic is back on " + model + ":" + previous
                + " (automatic) and " + model + "@production stays " + previous : "");
    }

    static String paused(String ref, int weight, String model) {
        return "mlopsDeploy: the canary of " + ref + " is PAUSED_INCONCLUSIVE at " + weight + "%: the build is UNSTABLE and a listed approver "
                + "decides: mlopsDeploy(action: 'resume'|'abort', model: '" + model + "', approver: USER), or `mlops deploy resume " + model
                + " --as USER` / `mlops deploy abort " + model + " --as USER`";
    }
}
