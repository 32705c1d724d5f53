package dev.mlops.drift;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Counts byte strings without turning each cell into a String: open addressing on a hash of the bytes.
 * At most {@code maxKeys} distinct keys are kept; once full, unseen keys are counted in {@link #overflow()}.
 */
final class ByteKeyCounter {
    private final int maxKeys;
    private byte[][] keys = new byte[64][];
    private int[] slots = new int[128];
    private int[] hashes = new int[64];
    private long[] counts = new long[64];
    private int size;
    private long overflow;

    ByteKeyCounter(int maxKeys) {
        this.maxKeys = maxKeys;
        Arrays.fill(slots, -1);
    }

    /** Adds one occurrence and returns the key's index, or -1 when it overflowed. */
    int add(byte[] b, int s, int e) {
        return add(b, s, e, 1);
    }

    /** Adds {@code times} occurrences and returns the key's index, or -1 when it overflowed. */
    int add(byte[] b, int s, int e, long times) {
        int index = indexOf(b, s, e, true);
        if (index < 0) {
            overflow += times;
        } else {
            counts[index] += times;
        }
        return index;
    }

    /** The key's index, or -1 if it was never added. */
    int find(byte[] b, int s, int e) {
        return indexOf(b, s, e, false);
    }

    void put(String key) {
        byte[] bytes = key.getBytes(StandardCharsets.UTF_8);
        indexOf(bytes, 0, bytes.length, true);
    }

    private int indexOf(byte[] b, int s, int e, boolean insert) {
        int h = 1;
        for (int i = s; i < e; i++) {
            h = 31 * h + b[i];
        }
        h ^= h >>> 16;
        int mask = slots.length - 1;
        int slot = h & mask;
        while (true) {
            int index = slots[slot];
            if (index < 0) {
                break;
            }
            if (hashes[index] == h && Arrays.equals(keys[index], 0, keys[index].length, b, s, e)) {
                return index;
            }
            slot = (slot + 1) & mask;
        }
        if (!insert || size >= maxKeys) {
            return -1;
        }
        if (size == keys.length) {
            keys = Arrays.copyOf(keys, size * 2);
            hashes = Arrays.copyOf(hashes, size * 2);
            counts = Arrays.copyOf(counts, size * 2);
        }
        keys[size] = Arrays.copyOfRange(b, s, e);
        hashes[size] = h;
        slots[slot] = size;
        size++;
        if (size * 2 > slots.length) {
            rehash();
        }
        return size - 1;
    }

    private void rehash() {
        slots = new int[slots.length * 2];
        Arrays.fill(slots, -1);
        int mask = slots.length - 1;
        for (int i = 0; i < size; i++) {
            int slot = hashes[i] & mask;
            while (slots[slot] >= 0) {
                slot = (slot + 1) & mask;
            }
            slots[slot] = i;
        }
    }

    int size() {
        return size;
    }

    long count(int index) {
        return counts[index];
    }

    void increment(int index, long by) {
        counts[index] += by;
    }

    void addOverflow(long times) {
        overflow += times;
    }

    long overflow() {
        return overflow;
    }

    String key(int index) {
        return new String(keys[index], StandardCharsets.UTF_8);
    }

    List<String> keys() {
        List<String> out = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            out.add(key(i));
        }
        return out;
    }
}
