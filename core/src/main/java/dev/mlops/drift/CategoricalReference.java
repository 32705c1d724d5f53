package dev.mlops.drift;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Streams one categorical column of the reference data: exact counts of up to {@value #MAX_TRACKED} distinct
 * values (later unseen values are counted as "other"), reduced at the end to the top K plus an "other" bucket.
 */
final class CategoricalReference {
    static final int MAX_TRACKED = 10_000;

    private final String name;
    private final int topK;
    private final ByteKeyCounter counter = new ByteKeyCounter(MAX_TRACKED);
    private long missing;

    CategoricalReference(String name, int topK) {
        this.name = name;
        this.topK = topK;
    }

    void missing() {
        missing++;
    }

    void add(byte[] b, int s, int e) {
        counter.add(b, s, e);
    }

    void add(String value) {
        byte[] bytes = value.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        counter.add(bytes, 0, bytes.length);
    }

    ColumnProfile finish() {
        int n = counter.size();
        Integer[] order = new Integer[n];
        long count = counter.overflow();
        for (int i = 0; i < n; i++) {
            order[i] = i;
            count += counter.count(i);
        }
        Arrays.sort(order, (a, b) -> {
            int byCount = Long.compare(counter.count(b), counter.count(a));
            return byCount != 0 ? byCount : counter.key(a).compareTo(counter.key(b));
        });
        List<String> categories = new ArrayList<>();
        List<Long> counts = new ArrayList<>();
        long other = counter.overflow();
        for (int i = 0; i < n; i++) {
            if (i < topK) {
                categories.add(counter.key(order[i]));
                counts.add(counter.count(order[i]));
            } else {
                other += counter.count(order[i]);
            }
        }
        long distinct = n + (counter.overflow() > 0 ? 1 : 0);
        return new ColumnProfile(name, ColumnProfile.CATEGORICAL, count, missing, 0, null, null, null, null,
                null, null, null, null, null, null, categories, counts, other, distinct);
    }
}
