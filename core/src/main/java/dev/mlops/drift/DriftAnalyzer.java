package dev.mlops.drift;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Turns a reference profile and a current window into a {@link DriftReport}. Never throws on odd data: it reports it. */
public final class DriftAnalyzer {
    static final int MAX_LISTED = 20;
    private static final double STD_FLOOR = 0.001;

    private DriftAnalyzer() {
    }

    /** The report; {@code model}/{@code version}, {@code since}/{@code until} are recorded as given (may be null). */
    public static DriftReport analyze(CurrentWindow window, DriftSettings settings, String model, Integer version,
                                      Instant since, Instant until, Instant now) {
        ReferenceProfile reference = window.reference;
        List<Draft> drafts = new ArrayList<>();
        for (CurrentColumn column : window.features) {
            drafts.add(measure(column, settings, window.absentFeatures.contains(column.reference.name())));
        }
        correct(drafts, settings);
        List<FeatureDrift> features = new ArrayList<>();
        int evaluated = 0;
        int drifted = 0;
        for (Draft d : drafts) {
            FeatureDrift f = d.finish(settings);
            features.add(f);
            if (!f.method().equals(DriftSettings.NONE)) {
                evaluated++;
                if (f.drifted()) {
                    drifted++;
                }
            }
        }
        features.sort(Comparator.comparing(FeatureDrift::drifted).reversed()
                .thenComparing(Comparator.comparingDouble(FeatureDrift::score).reversed()).thenComparing(FeatureDrift::feature));
        FeatureDrift prediction = null;
        if (window.prediction != null) {
            Draft d = measure(window.prediction, settings, false);
            d.adjustedP = d.pValue;
            prediction = d.finish(settings);
        }
        double share = evaluated == 0 ? 0 : (double) drifted / evaluated;
        List<String> notes = new ArrayList<>(window.notes);
        if (!window.absentFeatures.isEmpty()) {
            notes.add("features absent from the current data: " + String.join(", ", window.absentFeatures));
        }
        if (evaluated == 0) {
            notes.add("no feature had values in the current window; no verdict of drift");
        }
        return new DriftReport(DriftReport.SCHEMA, model, version, reference.source(), reference.rows(), window.source, window.rows,
                since, until, settings, evaluated, drifted, share, evaluated > 0 && share >= settings.driftShare(), features,
                prediction, notes, now);
    }

    /** The numbers of one column before the correction across features. */
    private static final class Draft {
        CurrentColumn column;
        String method;
        Double statistic;
        Double pValue;
        Double adjustedP;
        String note;
        Map<String, Double> methods = new LinkedHashMap<>();
        double[] refCounts;
        double[] curCounts;
        List<String> labels;
        List<String> newCategories = List.of();
        long newRows;

        FeatureDrift finish(DriftSettings settings) {
            ColumnProfile r = column.reference;
            boolean none = method.equals(DriftSettings.NONE);
            double threshold = none ? Double.NaN : settings.threshold(method);
            boolean drifted;
            double score;
            if (none || statistic == null || statistic.isNaN()) {
                drifted = false;
                score = 0;
            } else if (DriftSettings.usesPValue(method)) {
                double p = adjustedP == null || adjustedP.isNaN() ? 1 : adjustedP;
                drifted = p < threshold;
                score = p <= 0 ? 1e6 : Math.log(p) / Math.log(threshold);
            } else {
                drifted = statistic >= threshold;
                score = statistic / threshold;
            }
            long refTotal = r.count() + r.missing() + r.invalid();
            long curTotal = column.count + column.missing + column.invalid;
            return new FeatureDrift(r.name(), r.type(), method, finite(statistic), finite(pValue), finite(adjustedP),
                    none ? 0 : threshold, drifted, score, r.count(), column.count,
                    refTotal == 0 ? 0 : (double) r.missing() / refTotal, curTotal == 0 ? 0 : (double) column.missing / curTotal,
                    column.invalid, r.mean(), column.mean(), r.std(), column.std(), methods, labels,
                    shares(refCounts), shares(curCounts), newCategories, newRows, column.below, column.above, note);
        }
    }

    private static Draft measure(CurrentColumn column, DriftSettings settings, boolean absent) {
        Draft d = new Draft();
        d.column = column;
        ColumnProfile r = column.reference;
        column.finish();
        buildBins(d, column);
        if (column.count == 0 || r.count() == 0) {
            d.method = DriftSettings.NONE;
            d.note = absent ? "column absent from the current data"
                    : column.count == 0 ? "no values in the current window" : "no values in the reference data";
            return d;
        }
        long unique = uniqueValues(column, d);
        d.methods.put(DriftSettings.PSI, DriftStatistics.psi(d.refCounts, d.curCounts));
        d.methods.put(DriftSettings.JENSEN_SHANNON, DriftStatistics.jensenShannon(d.refCounts, d.curCounts));
        DriftStatistics.Result chi = DriftStatistics.chiSquare(d.refCounts, d.curCounts);
        d.methods.put(DriftSettings.CHI_SQUARE, chi.statistic());
        d.methods.put("chi_square_p_value", chi.pValue());
        DriftStatistics.Result ks = null;
        double normed = Double.NaN;
        if (r.isNumeric()) {
            NumericSketch sketch = column.sketch();
            double[] all = sketch.exactValues();
            double w;
            if (all != null) {
                // a small window: every current value is at hand, so the tests are scipy's exactly (exact KS p-value)
                double[] refSample = r.sampleArray();
                java.util.Arrays.sort(refSample);
                ks = DriftStatistics.ks(refSample, all);
                w = DriftStatistics.wasserstein(refSample, all);
            } else {
                ks = sketch.ks();
                w = sketch.wasserstein().distance();
            }
            d.methods.put("ks_statistic", ks.statistic());
            d.methods.put("ks_p_value", ks.pValue());
            normed = w / Math.max(r.std() == null ? 0 : r.std(), STD_FLOOR);
            d.methods.put(DriftSettings.WASSERSTEIN, w);
            d.methods.put("wasserstein_normed", normed);
        }
        DriftStatistics.Result z = null;
        if (unique <= 2 && d.refCounts.length >= 1) {
            z = DriftStatistics.proportionZTest(d.refCounts[0], sum(d.refCounts), d.curCounts[0], sum(d.curCounts));
            d.methods.put(DriftSettings.Z_TEST, z.statistic());
            d.methods.put("z_test_p_value", z.pValue());
        }
        boolean small = Math.min(r.count(), column.count) <= settings.smallSample();
        boolean continuous = r.isNumeric() && unique > 5;
        String method = settings.method();
        if (method.equals(DriftSettings.AUTO)) {
            if (continuous) {
                method = small ? DriftSettings.KS : DriftSettings.WASSERSTEIN;
            } else if (unique <= 2) {
                method = small ? DriftSettings.Z_TEST : DriftSettings.JENSEN_SHANNON;
            } else {
                method = small ? DriftSettings.CHI_SQUARE : DriftSettings.JENSEN_SHANNON;
            }
        } else if (!r.isNumeric() && (method.equals(DriftSettings.KS) || method.equals(DriftSettings.WASSERSTEIN))) {
            d.note = method + " needs numbers; categorical column tested with " + (small ? "chi_square" : "jensen_shannon");
            method = small ? DriftSettings.CHI_SQUARE : DriftSettings.JENSEN_SHANNON;
        }
        d.method = method;
        switch (method) {
            case DriftSettings.KS -> {
                d.statistic = ks.statistic();
                d.pValue = ks.pValue();
            }
            case DriftSettings.WASSERSTEIN -> d.statistic = normed;
            case DriftSettings.Z_TEST -> {
                d.statistic = z.statistic();
                d.pValue = z.pValue();
            }
            case DriftSettings.CHI_SQUARE -> {
                d.statistic = chi.statistic();
                d.pValue = chi.pValue();
            }
            case DriftSettings.PSI -> d.statistic = d.methods.get(DriftSettings.PSI);
            default -> d.statistic = d.methods.get(DriftSettings.JENSEN_SHANNON);
        }
        return d;
    }

    /** Distinct values of reference ∪ current as Evidently counts them (a large number for continuous columns). */
    private static long uniqueValues(CurrentColumn column, Draft d) {
        ColumnProfile r = column.reference;
        if (r.isNumeric() && !r.isDiscrete()) {
            return Long.MAX_VALUE;
        }
        long referenceDistinct = r.isNumeric() ? r.values().size() : r.distinct();
        return referenceDistinct + (column.unseen == null ? 0 : column.unseen.size() + (column.unseen.overflow() > 0 ? 1 : 0));
    }

    /** Reference and current counts over the same bins: numeric bins, discrete values or categories, plus a bucket for the unseen. */
    private static void buildBins(Draft d, CurrentColumn column) {
        ColumnProfile r = column.reference;
        List<String> labels = new ArrayList<>();
        if (r.isNumeric() && !r.isDiscrete()) {
            List<Double> edges = r.edges();
            d.refCounts = r.binCounts().stream().mapToDouble(Long::doubleValue).toArray();
            d.curCounts = Arrays.stream(column.binCounts).asDoubleStream().toArray();
            for (int i = 0; i <= edges.size(); i++) {
                String lo = i == 0 ? "-∞" : fmt(edges.get(i - 1));
                String hi = i == edges.size() ? "∞" : fmt(edges.get(i));
                labels.add("(" + lo + ", " + hi + "]");
            }
        } else {
            List<Long> refCounts = r.isNumeric() ? r.valueCounts() : r.categoryCounts();
            int k = refCounts.size();
            d.refCounts = new double[k + 1];
            for (int i = 0; i < k; i++) {
                d.refCounts[i] = refCounts.get(i);
            }
            d.refCounts[k] = r.isNumeric() ? 0 : r.otherCount();
            d.curCounts = Arrays.stream(column.counts).asDoubleStream().toArray();
            if (r.isNumeric()) {
                r.values().forEach(v -> labels.add(fmt(v)));
            } else {
                labels.addAll(r.categories());
            }
            boolean complete = r.isNumeric() || r.otherCount() == 0;
            labels.add(complete ? "(new)" : "(other)");
            if (complete && column.unseen != null) {
                d.newCategories = column.unseen.keys().stream().limit(MAX_LISTED).toList();
                d.newRows = column.counts[k];
                if (d.newRows > 0) {
                    d.note = d.newRows + " current values are categories the reference never had";
                }
            }
        }
        d.labels = labels;
    }

    /** Bonferroni or Benjamini–Hochberg over the p-values of the features (not the prediction). */
    private static void correct(List<Draft> drafts, DriftSettings settings) {
        List<Draft> tested = drafts.stream()
                .filter(d -> DriftSettings.usesPValue(d.method) && d.pValue != null && !d.pValue.isNaN()).toList();
        int m = tested.size();
        for (Draft d : drafts) {
            d.adjustedP = d.pValue;
        }
        if (m == 0 || settings.correction().equals(DriftSettings.NONE)) {
            return;
        }
        if (settings.correction().equals(DriftSettings.BONFERRONI)) {
            tested.forEach(d -> d.adjustedP = Math.min(1, d.pValue * m));
            return;
        }
        List<Draft> sorted = new ArrayList<>(tested);
        sorted.sort(Comparator.comparingDouble(d -> d.pValue));
        double running = 1;
        for (int i = m - 1; i >= 0; i--) {
            Draft d = sorted.get(i);
            running = Math.min(running, d.pValue * m / (i + 1));
            d.adjustedP = Math.min(1, running);
        }
    }

    private static List<Double> shares(double[] counts) {
        if (counts == null) {
            return List.of();
        }
        double total = sum(counts);
        List<Double> out = new ArrayList<>(counts.length);
        for (double c : counts) {
            out.add(total == 0 ? 0 : c / total);
        }
        return out;
    }

    private static double sum(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return s;
    }

    private static Double finite(Double v) {
        return v == null || v.isNaN() || v.isInfinite() ? null : v;
    }

    static String fmt(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return String.format(java.util.Locale.ROOT, "%.4g", v);
    }
}
