package dev.mlops.jenkins.evaluate;

import java.util.Locale;

/**
 * User-facing strings of the step, in one place (a Messages.properties bundle needs Jenkins'
 * localizer generator, which is not available to this build).
 */
final class Messages {
    static final String FUNCTION_NAME = "mlopsEvaluate";
    static final String DISPLAY_NAME = "Evaluate a candidate model against production (holdout, statistical gate, report)";
    static final String ACTION_ICON = "symbol-document-text";
    static final String URL_NAME = "mlops-evaluation";
    /** Folder under the build's root directory that keeps each evaluation's report files. */
    static final String BUILD_DIR = "mlops-evaluation";

    private Messages() {
    }

    /** The one-line failure shown in the build log, e.g. "mlopsEvaluate: holdout: missing; ...". */
    static String failed(String message) {
        return FUNCTION_NAME + ": " + message;
    }

    /** "OUTCOME: reason"; core's reasons often start with the outcome already, which is not repeated. */
    static String headline(String outcome, String reason) {
        String why = reason == null ? "" : reason;
        return why.startsWith(outcome) ? why : outcome + ": " + why;
    }

    static String verdict(String outcome, String reason, String candidate, String baseline) {
        return FUNCTION_NAME + ": " + headline(outcome, reason) + " (candidate " + candidate + " against "
                + (baseline == null ? "no baseline: first model" : baseline) + ")";
    }

    static String report(String url, String agentPath) {
        return FUNCTION_NAME + ": report " + url + " (written on the agent to " + agentPath + ")";
    }

    static String inconclusive() {
        return FUNCTION_NAME + ": INCONCLUSIVE: the gate cannot tell whether the candidate is better; the build is "
                + "UNSTABLE and a person must decide (read the report, then approve or reject, e.g. with the input step)";
    }

    static String stepFailed(String outcome, String reason, String url) {
        return failed(headline(outcome, reason) + "; report: " + url);
    }

    static String inconclusiveFails(String reason, String url) {
        return failed(headline("INCONCLUSIVE", reason) + " (failOnInconclusive: true); report: " + url);
    }

    static String actionDisplayName(String outcome, int index) {
        return "Model evaluation" + (index > 1 ? " " + index : "") + ": " + outcome.toUpperCase(Locale.ROOT);
    }

    static String downloadStarted(String file, long total) {
        return FUNCTION_NAME + ": downloading " + file + " (" + megabytes(total) + ")";
    }

    static String downloadProgress(String file, int percent, long done, long total) {
        return FUNCTION_NAME + ": " + file + " " + percent + "% (" + megabytes(done) + " of " + megabytes(total) + ")";
    }

    static String megabytes(long bytes) {
        return String.format(Locale.ROOT, "%.1f MB", bytes / (1024.0 * 1024.0));
    }
}
