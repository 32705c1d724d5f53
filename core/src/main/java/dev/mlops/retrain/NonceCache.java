package dev.mlops.retrain;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * Nonces seen within the staleness window. An entry lives until its request's timestamp would be
 * stale anyway, so a replay inside the window is caught and nothing outside it needs remembering.
 * Bounded: when full of live nonces it refuses new ones rather than forgetting a live one.
 */
final class NonceCache {
    private final int capacity;
    private final Map<String, Instant> expiries = new HashMap<>();
    private final PriorityQueue<Map.Entry<String, Instant>> byExpiry = new PriorityQueue<>(Map.Entry.comparingByValue());

    NonceCache(int capacity) {
        this.capacity = capacity;
    }

    enum Result { FRESH, REPLAY, FULL }

    synchronized Result remember(String nonce, Instant expiresAt, Instant now) {
        while (!byExpiry.isEmpty() && !byExpiry.peek().getValue().isAfter(now)) {
            Map.Entry<String, Instant> old = byExpiry.poll();
            expiries.remove(old.getKey(), old.getValue());
        }
        if (expiries.containsKey(nonce)) {
            return Result.REPLAY;
        }
        if (expiries.size() >= capacity) {
            return Result.FULL;
        }
        expiries.put(nonce, expiresAt);
        byExpiry.add(Map.entry(nonce, expiresAt));
        return Result.FRESH;
    }

    synchronized int size() {
        return expiries.size();
    }
}
