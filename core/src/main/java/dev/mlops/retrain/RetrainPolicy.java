package dev.mlops.retrain;

import dev.mlops.error.InvalidInputException;
import java.time.Duration;

/**
 * Guards against retrain storms: no second trigger for the same subject inside {@code cooldown},
 * at most {@code maxPerDay} per UTC day (0 = no limit), and the {@link RetrainMode}.
 */
public record RetrainPolicy(Duration cooldown, int maxPerDay, RetrainMode mode) {
    public RetrainPolicy {
        if (cooldown == null || cooldown.isNegative()) {
            throw new InvalidInputException("retrain cooldown_minutes: " + cooldown + " is negative; use 0 or more minutes");
        }
        if (maxPerDay < 0) {
            throw new InvalidInputException("retrain max_per_day: " + maxPerDay + " is negative; use 0 (no limit) or more");
        }
        if (mode == null) {
            mode = RetrainMode.TRIGGER;
        }
    }

    public static RetrainPolicy of(long cooldownMinutes, int maxPerDay, RetrainMode mode) {
        if (cooldownMinutes < 0) {
            throw new InvalidInputException("retrain cooldown_minutes: " + cooldownMinutes + " is negative; use 0 or more minutes");
        }
        return new RetrainPolicy(Duration.ofMinutes(cooldownMinutes), maxPerDay, mode);
    }
}
