package dev.mlops.retrain;

import dev.mlops.error.InvalidInputException;
import java.time.Duration;

/**
 * Bounded exponential backoff: attempt n waits {@code min(initial * 2^(n-1), max)} before it.
 * Only connection errors and 5xx answers are retried.
 */
public record RetryPolicy(int maxAttempts, Duration initialBackoff, Duration maxBackoff, Duration requestTimeout) {
    public static final RetryPolicy DEFAULT = new RetryPolicy(4, Duration.ofSeconds(1), Duration.ofSeconds(30), Duration.ofSeconds(30));

    public RetryPolicy {
        if (maxAttempts < 1 || maxAttempts > 20) {
            throw new InvalidInputException("retry attempts: " + maxAttempts + " not in 1..20");
        }
        if (initialBackoff.isNegative() || maxBackoff.compareTo(initialBackoff) < 0) {
            throw new InvalidInputException("retry backoff: initial " + initialBackoff + " must be >= 0 and <= max " + maxBackoff);
        }
    }

    /** The wait before attempt {@code attempt} (2, 3, ...). */
    public Duration backoffBefore(int attempt) {
        Duration wait = initialBackoff;
        for (int i = 2; i < attempt && wait.compareTo(maxBackoff) < 0; i++) {
            wait = wait.multipliedBy(2);
        }
        return wait.compareTo(maxBackoff) > 0 ? maxBackoff : wait;
    }
}
