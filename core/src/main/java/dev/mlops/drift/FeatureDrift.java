package dev.mlops.drift;

import java.util.List;
import java.util.Map;

/**
 * The drift of one column.
 *
 * @param method        the method that decided (see {@link DriftSettings}); "none" when the current window had no values
 * @param statistic     that method's value (for p-value methods: the test statistic)
 * @param pValue        p-value methods: the raw p-value
 * @param adjustedP     p-value methods: after the correction across features
 * @param threshold     the method's threshold (alpha for p-value methods)
 * @param score         ≥ 1 means drift: value/threshold for distances, ln(p)/ln(alpha) for p-values
 * @param methods       every method's value (psi, ks_statistic, ks_p_value, wasserstein, wasserstein_normed,
 *                      jensen_shannon, chi_square, chi_square_p_value; z_test and z_test_p_value for two values)
 * @param binLabels     histogram bins (numeric) or categories, with {@code referenceShares}/{@code currentShares}
 * @param newCategories values the reference never had (first {@value DriftAnalyzer#MAX_LISTED})
 * @param newValueRows  current rows holding such a value
 * @param belowRange    current values below the reference minimum
 * @param aboveRange    current values above the reference maximum
 */
public record FeatureDrift(String feature, String type, String method, Double statistic, Double pValue, Double adjustedP,
                           double threshold, boolean drifted, double score, long referenceCount, long currentCount,
                           double referenceMissingShare, double currentMissingShare, long currentInvalid,
                           Double referenceMean, Double currentMean, Double referenceStd, Double currentStd,
                           Map<String, Double> methods, List<String> binLabels, List<Double> referenceShares, List<Double> currentShares,
                           List<String> newCategories, long newValueRows, long belowRange, long aboveRange, String note) {
}
