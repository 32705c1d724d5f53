package dev.mlops.monitor;

import dev.mlops.drift.DriftReport;
import dev.mlops.drift.FeatureDrift;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Locale;

/** One evaluated window: its number, the logged rows and their time span, the verdict, the report and the retrain outcome (null when none was asked). */
public record WindowResult(long index, long rows, Instant first, Instant last, DriftReport report, Path html, TriggerResult trigger) {

    public boolean drifted() {
        return report.drifted();
    }

    /** The one line {@code mlops monitor} prints per window. */
    public String line() {
        String top = String.join(", ", report.features().stream().filter(FeatureDrift::drifted).limit(3).map(FeatureDrift::feature).toList());
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "window %d: %d rows", index, rows));
        if (first != null && last != null) {
            line.append(' ').append(first).append("..").append(last);
        }
        line.append(drifted() ? " DRIFT " : " no drift ").append(report.driftedFeatures()).append(" of ").append(report.evaluatedFeatures())
                .append(" features");
        if (!top.isEmpty()) {
            line.append(" (").append(top).append(')');
        }
        if (trigger != null) {
            line.append("; retrain ").append(trigger.line());
        }
        return line.append("; report ").append(html).toString();
    }
}
