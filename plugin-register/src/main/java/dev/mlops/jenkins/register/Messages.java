package dev.mlops.jenkins.register;

/**
 * User-facing strings of the step, in one place (a Messages.properties bundle needs Jenkins'
 * localizer generator, which is not available to this build).
 */
final class Messages {
    static final String FUNCTION_NAME = "mlopsRegister";
    static final String DISPLAY_NAME = "Register a model version in the MLOps registry";
    static final String ACTION_ICON = "symbol-cube";
    static final String URL_PREFIX = "mlops-model-";

    private Messages() {
    }

    /** The one-line failure shown in the build log, e.g. "mlopsRegister: model: '../x' contains ...". */
    static String failed(String message) {
        return FUNCTION_NAME + ": " + message;
    }

    static String registered(String ref, String registry) {
        return "Registered " + ref + " in " + registry;
    }

    static String actionDisplayName(String ref) {
        return "Model " + ref;
    }

    static String transferStarted(String file, long total) {
        return FUNCTION_NAME + ": uploading " + file + " (" + megabytes(total) + ")";
    }

    static String transferProgress(String file, int percent, long done, long total) {
        return FUNCTION_NAME + ": " + file + " " + percent + "% (" + megabytes(done) + " of " + megabytes(total) + ")";
    }

    static String megabytes(long bytes) {
        return String.format(java.util.Locale.ROOT, "%.1f MB", bytes / (1024.0 * 1024.0));
    }
}
