package dev.mlops.evaluate;

/**
 * The closed set of gate outcomes. INCONCLUSIVE pauses for a human and never passes silently;
 * ERROR means the gate could not decide (e.g. a metric is undefined on the holdout).
 */
public enum Outcome {
    PASS,
    FAIL,
    INCONCLUSIVE,
    ERROR;

    /** Any FAIL → FAIL, else any ERROR → ERROR, else any INCONCLUSIVE → INCONCLUSIVE, else PASS. */
    public static Outcome combine(Iterable<Outcome> outcomes) {
        boolean error = false;
        boolean inconclusive = false;
        for (Outcome o : outcomes) {
            switch (o) {
                case FAIL:
                    return FAIL;
                case ERROR:
                    error = true;
                    break;
                case INCONCLUSIVE:
                    inconclusive = true;
                    break;
                default:
                    break;
            }
        }
        return error ? ERROR : inconclusive ? INCONCLUSIVE : PASS;
    }
}
