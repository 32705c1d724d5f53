package dev.mlops.serve;

import dev.mlops.model.ModelSchema;
import dev.mlops.model.Predictor;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One model version in the server: its spec, its predictor once loaded, and its metrics. A request
 * {@link #acquire acquires} it before predicting and releases it after, so an unloaded version's
 * predictor is closed only once the requests already using it have finished.
 */
final class ServedVersion {
    private final ModelSpec spec;
    private final ServeMetrics.VersionStats stats;
    private final AtomicInteger users = new AtomicInteger();
    private volatile Predictor predictor;
    private volatile boolean retired;

    ServedVersion(ModelSpec spec, ServeMetrics.VersionStats stats) {
        this.spec = spec;
        this.stats = stats;
    }

    ModelSpec spec() {
        return spec;
    }

    ServeMetrics.VersionStats stats() {
        return stats;
    }

    /** The predictor, or null while loading. */
    Predictor predictor() {
        return predictor;
    }

    ModelSchema schema() {
        Predictor p = predictor;
        return p == null ? null : p.schema();
    }

    void loaded(Predictor loaded) {
        this.predictor = loaded;
    }

    /**
     * Counts a user; false when the version was retired (unloaded) meanwhile. Counting first and
     * checking after means {@link #retire} either sees this user or this user sees the retirement.
     */
    boolean acquire() {
        users.incrementAndGet();
        if (retired) {
            users.decrementAndGet();
            return false;
        }
        return true;
    }

    void release() {
        users.decrementAndGet();
    }

    /** Refuses new users, waits up to {@code grace} for the current ones, and returns whether none is left. */
    boolean retire(Duration grace) {
        retired = true;
        long deadline = System.nanoTime() + grace.toNanos();
        while (users.get() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return users.get() == 0;
    }
}
