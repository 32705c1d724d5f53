package dev.mlops.drift;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The current data, streamed into per-feature accumulators shaped by the reference profile. Fill it
 * from {@link CurrentSources} (CSV, inference logs) or directly with columns already in memory.
 */
public final class CurrentWindow {
    /**
     * Kept for source compatibility: numeric columns no longer hold a sample (KS and Wasserstein run on counts per
     * reference point, see NumericSketch); {@code sampleCap} now only caps the values kept for the exact small-window
     * tests, at most {@value DriftStatistics#KS_EXACT_MAX}.
     */
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
            features[f] = new CurrentColumn(reference.features().get(f), sampleCap);
        }
        this.prediction = reference.prediction() == null ? null : new CurrentColumn(reference.prediction(), sampleCap);
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

    /**
     * Adds a numeric column already in memory (the feature must be in the profile); NaN is missing. Different
     * features may be added from different threads at the same time; one feature from one thread at a time.
     */
    public void addNumbers(String feature, double[] column) {
        column(feature).numbers(column);
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

    /**
     * Adds a dictionary-coded categorical column already in memory (as pandas' category dtype holds one):
     * {@code codes[i]} indexes {@code dictionary}, a negative code is missing.
     */
    public void addCodes(String feature, int[] codes, String[] dictionary) {
        CurrentColumn c = column(feature);
        long[] perCode = new long[dictionary.length];
        long missing = 0;
        for (int code : codes) {
            if (code < 0) {
                missing++;
            } else {
                perCode[code]++;
            }
        }
        c.missing += missing;
        for (int i = 0; i < dictionary.length; i++) {
            if (perCode[i] > 0) {
                byte[] text = dictionary[i].getBytes(java.nio.charset.StandardCharsets.UTF_8);
                c.category(text, 0, text.length, perCode[i]);
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
