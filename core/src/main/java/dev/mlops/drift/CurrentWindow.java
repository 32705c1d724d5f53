package dev.mlops.drift;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The current data, streamed into per-feature accumulators shaped by the reference profile. Fill it
 * from {@link CurrentSources} (CSV, inference logs) or directly with columns already in memory.
 */
public final class CurrentWindow {
    /** Default reservoir capacity per numeric column of the current window. */
    public static final int DEFAULT_SAMPLE_CAP = 100_000;

    final ReferenceProfile reference;
    final CurrentColumn[] features;
    final CurrentColumn prediction;
    final List<String> absentFeatures = new ArrayList<>();
    final List<String> notes = new ArrayList<>();
    final int sampleCap;
    final long seed;
    String source;
    long rows;
    long skippedRecords;

    public CurrentWindow(ReferenceProfile reference, int sampleCap, long seed) {
        this.reference = reference;
        this.sampleCap = sampleCap;
        this.seed = seed;
        this.features = new CurrentColumn[reference.features().size()];
        for (int f = 0; f < features.length; f++) {
            features[f] = new CurrentColumn(reference.features().get(f), sampleCap, seed + f);
        }
        this.prediction = reference.prediction() == null ? null : new CurrentColumn(reference.prediction(), sampleCap, seed - 1);
    }

    public ReferenceProfile reference() {
        return reference;
    }

    public long rows() {
        return rows;
    }

    public String source() {
        return source;
    }

    public List<String> notes() {
        return Collections.unmodifiableList(notes);
    }

    /** Adds a numeric column already in memory (the feature must be in the profile); NaN is missing. */
    public void addNumbers(String feature, double[] column) {
        CurrentColumn c = column(feature);
        for (double v : column) {
            c.number(v);
        }
    }

    /** Adds a categorical column already in memory; null is missing. */
    public void addCategories(String feature, String[] column) {
        CurrentColumn c = column(feature);
        for (String v : column) {
            if (v == null) {
                c.missing();
            } else {
                c.category(v);
            }
        }
    }

    /** Declares how many rows the in-memory columns had, and where they came from. */
    public void rows(long rows, String source) {
        this.rows = rows;
        this.source = source;
    }

    private CurrentColumn column(String feature) {
        for (CurrentColumn c : features) {
            if (c.reference.name().equals(feature)) {
                return c;
            }
        }
        if (prediction != null && prediction.reference.name().equals(feature)) {
            return prediction;
        }
        throw new dev.mlops.error.InvalidInputException("feature: '" + feature + "' is not in the reference profile; features are "
                + reference.features().stream().map(ColumnProfile::name).toList());
    }
}
