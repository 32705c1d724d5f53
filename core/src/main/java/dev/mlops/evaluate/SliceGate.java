package dev.mlops.evaluate;

import dev.mlops.error.InvalidInputException;
import java.util.List;
import java.util.Objects;

/**
 * A worst-slice rule on the candidate alone. Every distinct value of each column (columns are
 * sliced one at a time, not crossed) with at least {@code minRows} rows is a slice; the worst
 * slice must not be worse than {@code minValue} (higher-is-better metrics) or {@code maxValue}
 * (lower-is-better), and the best and worst slice may differ by at most {@code maxGap}.
 * Applies with or without a baseline.
 *
 * @param columns  slice columns of the holdout
 * @param metric   the metric compared across slices
 * @param minValue lowest acceptable value of the worst slice (higher-is-better metrics), or null
 * @param maxValue highest acceptable value of the worst slice (lower-is-better metrics), or null
 * @param maxGap   largest acceptable |best − worst|, or null
 * @param minRows  slices with fewer rows are reported but not gated
 */
public record SliceGate(List<String> columns, Metric metric, Double minValue, Double maxValue, Double maxGap, int minRows) {
    public static final int DEFAULT_MIN_ROWS = 1;

    public SliceGate {
        columns = List.copyOf(columns);
        Objects.requireNonNull(metric, "metric");
        if (columns.isEmpty()) {
            throw new InvalidInputException("slice gate needs at least one column");
        }
        if (minValue == null && maxValue == null && maxGap == null) {
            throw new InvalidInputException("slice gate " + GateConfig.SLICE_GATE_NEEDS_LIMIT);
        }
        if (minValue != null && metric.direction() != Direction.HIGHER_IS_BETTER) {
            throw new InvalidInputException("min_value: " + metric.id() + " is lower-is-better; use max_value");
        }
        if (maxValue != null && metric.direction() != Direction.LOWER_IS_BETTER) {
            throw new InvalidInputException("max_value: " + metric.id() + " is higher-is-better; use min_value");
        }
        if (minRows < 1) {
            throw new InvalidInputException("min_rows must be at least 1, got " + minRows);
        }
    }
}
