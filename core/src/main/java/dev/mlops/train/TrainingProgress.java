package dev.mlops.train;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Progress after one epoch. {@code epochs} is 0 when the total is unknown, {@code eta} null then.
 * {@link #describe()} gives the log line, e.g. {@code epoch 3/20 loss=0.412 val_accuracy=0.913 eta=4s}.
 */
public record TrainingProgress(int epoch, int epochs, Map<String, Double> metrics, Duration eta) {
    public TrainingProgress {
        metrics = metrics == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
    }

    public String describe() {
        StringBuilder line = new StringBuilder("epoch ").append(epoch);
        if (epochs > 0) {
            line.append('/').append(epochs);
        }
        metrics.forEach((name, value) -> line.append(' ').append(name).append('=').append(format(value)));
        if (eta != null) {
            line.append(" eta=").append(formatDuration(eta));
        }
        return line.toString();
    }

    static String format(double value) {
        return String.format(Locale.ROOT, Math.abs(value) >= 1000 ? "%.1f" : "%.3f", value);
    }

    static String formatDuration(Duration duration) {
        long seconds = Math.max(0, Math.round(duration.toMillis() / 1000.0));
        if (seconds < 60) {
            return seconds + "s";
        }
        if (seconds < 3600) {
            return seconds / 60 + "m" + seconds % 60 + "s";
        }
        return seconds / 3600 + "h" + seconds % 3600 / 60 + "m";
    }
}
