package dev.mlops.evaluate;

import dev.mlops.error.InvalidInputException;
import java.util.Objects;

/**
 * The rule for one metric. With d = candidate − baseline and g = d in the metric's better
 * direction ({@link Direction#improvement}):
 * <ul>
 *   <li>SUPERIORITY: the point estimate passes when g ≥ {@code minAbsoluteChange} and, when
 *       {@code minRelativeChange} > 0, g / |baseline| ≥ {@code minRelativeChange}. A baseline of 0
 *       makes the relative change undefined; then only the absolute rule applies and the reason
 *       says so. A passing point estimate whose confidence interval does not exclude 0 (no
 *       improvement) is INCONCLUSIVE.</li>
 *   <li>NON_INFERIORITY: the point estimate passes when g ≥ −{@code margin}; if the interval does
 *       not exclude −margin it is INCONCLUSIVE.</li>
 * </ul>
 * Threshold comparisons forgive floating-point rounding of 1e-12; the interval comparisons are strict.
 *
 * @param metric            what is compared
 * @param direction         which way is better (defaults to the metric's)
 * @param minAbsoluteChange superiority: minimum improvement in metric units, ≥ 0
 * @param minRelativeChange superiority: minimum improvement relative to |baseline|, ≥ 0 (0 = not used)
 * @param mode              superiority or non-inferiority
 * @param margin            non-inferiority: how much worse is acceptable, ≥ 0 (0 for superiority)
 */
public record MetricGate(Metric metric, Direction direction, double minAbsoluteChange, double minRelativeChange,
                         GateMode mode, double margin) {
    public MetricGate {
        Objects.requireNonNull(metric, "metric");
        direction = direction == null ? metric.direction() : direction;
        mode = mode == null ? GateMode.SUPERIORITY : mode;
        requireNonNegative("min_absolute_change", minAbsoluteChange);
        requireNonNegative("min_relative_change", minRelativeChange);
        requireNonNegative("margin", margin);
        if (mode == GateMode.NON_INFERIORITY && (minAbsoluteChange != 0 || minRelativeChange != 0)) {
            throw new InvalidInputException(metric.id() + ": " + GateConfig.THRESHOLDS_NEED_SUPERIORITY);
        }
        if (mode == GateMode.SUPERIORITY && margin != 0) {
            throw new InvalidInputException(metric.id() + ": " + GateConfig.MARGIN_NEEDS_NON_INFERIORITY);
        }
    }

    /** Superiority with no minimum change: any improvement, backed by the confidence interval. */
    public static MetricGate superiority(Metric metric) {
        return new MetricGate(metric, metric.direction(), 0, 0, GateMode.SUPERIORITY, 0);
    }

    public static MetricGate nonInferiority(Metric metric, double margin) {
        return new MetricGate(metric, metric.direction(), 0, 0, GateMode.NON_INFERIORITY, margin);
    }

    public MetricGate withMinAbsoluteChange(double value) {
        return new MetricGate(metric, direction, value, minRelativeChange, mode, margin);
    }

    public MetricGate withMinRelativeChange(double value) {
        return new MetricGate(metric, direction, minAbsoluteChange, value, mode, margin);
    }

    public MetricGate withDirection(Direction value) {
        return new MetricGate(metric, value, minAbsoluteChange, minRelativeChange, mode, margin);
    }

    private static void requireNonNegative(String field, double value) {
        if (!(value >= 0) || Double.isInfinite(value)) {
            throw new InvalidInputException(field + ": " + value + " " + GateConfig.MUST_BE_NON_NEGATIVE);
        }
    }
}
