package dev.mlops.jenkins.evaluate;

import java.util.Locale;

/** User-facing strings of the {@code mlopsDriftCheck} step, in one place. */
final class DriftMessages {
    static final String FUNCTION_NAME = "mlopsDriftCheck";
    static final String DISPLAY_NAME = "Check production traffic for drift against the model's reference profile (and ask for a retrain)";
    static final String ACTION_ICON = "symbol-trending-up";
    static final String URL_NAME = "mlops-drift";
    /** Folder under the build's root directory that keeps each drift check's report files. */
    static final String BUILD_DIR = "mlops-drift";

    private DriftMessages() {
    }

    static String failed(String message) {
        return FUNCTION_NAME + ": " + message;
    }

    static String verdict(boolean drift, long drifted, long evaluated, String reference, long rows) {
        return FUNCTION_NAME + ": " + (drift ? "DRIFT" : "no drift") + " in " + drifted + " of " + evaluated + " features (" + reference
                + " vs " + rows + " rows of current traffic)";
    }

    static String retrain(String outcome, String reason) {
        return FUNCTION_NAME + ": retrain " + outcome + (reason == null ? "" : ": " + reason);
    }

    static String report(String url, String agentPath) {
        return FUNCTION_NAME + ": report " + url + " (written on the agent to " + agentPath + ")";
    }

    static String unstable() {
        return FUNCTION_NAME + ": the build is UNSTABLE because production traffic drifted (unstableOnDrift: false leaves the result alone)";
    }

    static String actionDisplayName(boolean drift, int index) {
        return "Drift check" + (index > 1 ? " " + index : "") + ": " + (drift ? "DRIFT" : "no drift");
    }

    static String number(Double value) {
        return value == null ? "" : String.format(Locale.ROOT, "%.4g", value);
    }
}
