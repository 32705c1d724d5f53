package dev.mlops.serve;

import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * Applies {@link TrafficPolicy policies}. Each model's policy sits in an {@link AtomicReference}
 * together with its draw counter, so an update is one atomic swap and restarts the seeded sequence.
 * Draws are {@code splitmix64(seed + n * golden)}: lock-free, thread-safe and reproducible.
 */
final class TrafficRouter {
    private static final long GOLDEN = 0x9E3779B97F4A7C15L;

    private record State(TrafficPolicy policy, AtomicLong draws) {
    }

    private final Map<String, AtomicReference<State>> states = new ConcurrentHashMap<>();

    TrafficRouter(Collection<TrafficPolicy> policies) {
        for (TrafficPolicy policy : policies) {
            states.put(policy.model(), new AtomicReference<>(new State(policy, new AtomicLong())));
        }
    }

    TrafficPolicy policy(String model) {
        AtomicReference<State> state = states.get(model);
        return state == null ? null : state.get().policy();
    }

    List<TrafficPolicy> policies() {
        return states.values().stream().map(s -> s.get().policy()).sorted((a, b) -> a.model().compareTo(b.model())).toList();
    }

    /** Swaps the policy of an already routed model; returns the previous one. */
    TrafficPolicy replace(TrafficPolicy policy) {
        AtomicReference<State> state = states.get(policy.model());
        if (state == null) {
            throw new IllegalArgumentException("no policy for " + policy.model());
        }
        return state.getAndSet(new State(policy, new AtomicLong())).policy();
    }

    /**
     * Routes a request to {@code model}. {@code urlVersion} is the version named in the URL (or null);
     * {@code headers} looks up lower-case request header names. The returned version may not be
     * served; the caller checks.
     */
    Routing route(String model, Integer urlVersion, Function<String, String> headers) {
        State state = states.get(model).get();
        TrafficPolicy policy = state.policy();
        Integer shadow = policy.shadow();
        if (urlVersion != null) {
            return routing(policy, urlVersion, Routing.URL, shadow);
        }
        String pinned = headers.apply(policy.pinHeader());
        if (pinned != null) {
            return routing(policy, parseVersion(pinned.trim()), Routing.HEADER, shadow);
        }
        if (policy.canary() == null || policy.canaryWeight() == 0) {
            return new Routing(policy.primary(), "primary", Routing.DEFAULT, shadow);
        }
        if (policy.cohortHeader() != null) {
            String cohort = headers.apply(policy.cohortHeader());
            if (cohort != null) {
                boolean canary = bucket(cohortHash(cohort, policy.seed())) < policy.canaryWeight();
                return routing(policy, canary ? policy.canary() : policy.primary(), Routing.COHORT, shadow);
            }
        }
        long draw = splitmix64(policy.seed() + state.draws().getAndIncrement() * GOLDEN);
        boolean canary = bucket(draw) < policy.canaryWeight();
        return routing(policy, canary ? policy.canary() : policy.primary(), Routing.WEIGHT, shadow);
    }

    private static Routing routing(TrafficPolicy policy, int version, String selector, Integer shadow) {
        return new Routing(version, policy.roleOf(version), selector, shadow != null && shadow == version ? null : shadow);
    }

    /** A header value that is not a number maps to version -1, which no model serves (404 naming the served versions). */
    static int parseVersion(String text) {
        if (text.isEmpty() || text.length() > 9) {
            return -1;
        }
        int value = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    /** 0..99 from the high bits of a mixed 64-bit value. */
    static int bucket(long mixed) {
        return (int) (((mixed >>> 11) * 100) >>> 53);
    }

    /** FNV-1a over the UTF-8 bytes, mixed with the seed: the same cohort always lands in the same bucket. */
    static long cohortHash(String cohort, long seed) {
        long hash = 0xcbf29ce484222325L;
        for (byte b : cohort.getBytes(StandardCharsets.UTF_8)) {
            hash ^= b & 0xff;
            hash *= 0x100000001b3L;
        }
        return splitmix64(hash ^ seed);
    }

    static long splitmix64(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
