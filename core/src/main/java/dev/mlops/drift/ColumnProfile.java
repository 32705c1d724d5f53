package dev.mlops.drift;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.List;

/**
 * The reference statistics of one column.
 *
 * @param type           {@value #NUMERIC} or {@value #CATEGORICAL}
 * @param count          non-missing values
 * @param missing        missing cells (empty, NA, NaN, null, None)
 * @param invalid        cells of a numeric column that were not numbers (counted apart from missing)
 * @param edges          numeric: inner edges of the fixed bins (bin i is (edges[i-1], edges[i]], the outer bins are open)
 * @param binCounts      numeric: values per bin ({@code edges.size() + 1} bins)
 * @param quantiles      numeric: the 0, 1, …, 100th percentiles of the sample, min and max exact
 * @param sample         numeric: a seeded uniform reservoir sample, sorted, for KS and Wasserstein
 * @param values         numeric with at most {@value ReferenceProfiler#MAX_DISCRETE} distinct values: those values, ascending
 * @param valueCounts    counts of {@code values}
 * @param categories     categorical: the most frequent values (top K), most frequent first
 * @param categoryCounts counts of {@code categories}
 * @param otherCount     categorical: values outside the top K
 * @param distinct       distinct values seen (capped; see the profiler)
 */
public record ColumnProfile(String name, String type, long count, long missing, long invalid,
                            Double mean, Double std, Double min, Double max,
                            List<Double> edges, List<Long> binCounts, List<Double> quantiles, List<Double> sample,
                            List<Double> values, List<Long> valueCounts,
                            List<String> categories, List<Long> categoryCounts, Long otherCount, long distinct) {
    public static final String NUMERIC = "numeric";
    public static final String CATEGORICAL = "categorical";

    @JsonIgnore
    public boolean isNumeric() {
        return NUMERIC.equals(type);
    }

    /** Numeric with few distinct values, kept exactly. */
    @JsonIgnore
    public boolean isDiscrete() {
        return values != null && !values.isEmpty();
    }

    @JsonIgnore
    double[] sampleArray() {
        return sample == null ? new double[0] : sample.stream().mapToDouble(Double::doubleValue).toArray();
    }

    @JsonIgnore
    double[] edgeArray() {
        return edges == null ? new double[0] : edges.stream().mapToDouble(Double::doubleValue).toArray();
    }

    @JsonIgnore
    double[] valueArray() {
        return values == null ? new double[0] : values.stream().mapToDouble(Double::doubleValue).toArray();
    }
}
