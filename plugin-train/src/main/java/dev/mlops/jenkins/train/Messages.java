package dev.mlops.jenkins.train;

import java.util.Locale;

/**
 * User-facing strings of the step, in one place (a Messages.properties bundle needs Jenkins'
 * localizer generator, which is not available to this build).
 */
final class Messages {
    static final String FUNCTION_NAME = "mlopsTrain";
    static final String DISPLAY_NAME = "Train a model and record the run (built-in MLP or your own command)";
    static final String ACTION_ICON = "symbol-analytics";
    static final String URL_PREFIX = "mlops-run-";

    private Messages() {
    }

    /** The one-line failure shown in the build log, e.g. "mlopsTrain: params.epochs: 'x' is not a whole number ...". */
    static String failed(String message) {
        return FUNCTION_NAME + ": " + message;
    }

    /** requireGpu on an agent without a visible GPU: names the agent and the fix. */
    static String noGpu(String agent, String host) {
        String where = agent == null || agent.isBlank() ? "this agent (NODE_NAME is not set), host " + host
                : "agent '" + agent + "' (host " + host + ")";
        return failed("requireGpu: no GPU visible on " + where + ": nvidia-smi lists none and DJL reports 0 GPUs. "
                + "Label your GPU agents (e.g. 'gpu') and run this step inside node('gpu') { ... } "
                + "(or mlopsTrain agent: 'gpu' from the mlops shared library), or drop requireGpu: true.");
    }

    static String labelTwice(String name) {
        return failed(name + ": also given as params." + name + "; give it once");
    }

    static String finished(String id, String status, boolean reused) {
        return "mlopsTrain: run " + id + " " + status.toLowerCase(Locale.ROOT) + (reused ? " (reused, not retrained)" : "");
    }

    /** The step fails when the run did not succeed; the run is still attached to the build. */
    static String runNotSucceeded(String id, String status, String error) {
        String first = error == null ? "" : error.lines().findFirst().orElse("");
        return failed("run " + id + " " + status + (first.isEmpty() ? "" : ": " + first)
                + "; the training output is in the log above and on the build's run page");
    }

    static String cancelled(String id) {
        return failed("run " + id + " was cancelled: the training and its child processes were stopped");
    }

    static String actionDisplayName(String id) {
        return "Training run " + id;
    }
}
