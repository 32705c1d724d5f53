package dev.mlops.serve;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.mlops.error.InvalidInputException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * How one served model splits its traffic. Immutable; the server swaps a whole policy atomically.
 *
 * <ul>
 *   <li>{@code primary}: the version that answers by default.</li>
 *   <li>{@code canary} + {@code canaryWeight} (0..100): that percentage of requests is answered by
 *       the canary instead, drawn from a seeded sequence (reproducible in tests).</li>
 *   <li>{@code pinHeader} (default {@code x-model-version}): a request carrying it is answered by
 *       that version, whatever the weights.</li>
 *   <li>{@code cohortHeader} (optional, e.g. {@code x-cohort}): a request carrying it is assigned to
 *       canary or primary by a stable hash of its value, so one user always sees the same side
 *       (sticky A/B) and stays on the canary as its weight grows.</li>
 *   <li>{@code shadow}: this version also scores every request (off the request thread); the answer
 *       always comes from primary/canary and both results are logged with route "shadow".</li>
 * </ul>
 */
public record TrafficPolicy(String model, int primary, Integer canary, int canaryWeight, Integer shadow,
                            String pinHeader, String cohortHeader, long seed) {
    public static final String DEFAULT_PIN_HEADER = "x-model-version";
    private static final Pattern HEADER = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");

    @JsonCreator
    public TrafficPolicy(@JsonProperty("model") String model, @JsonProperty("primary") int primary,
                         @JsonProperty("canary") Integer canary, @JsonProperty("canaryWeight") int canaryWeight,
                         @JsonProperty("shadow") Integer shadow, @JsonProperty("pinHeader") String pinHeader,
                         @JsonProperty("cohortHeader") String cohortHeader, @JsonProperty("seed") long seed) {
        this.model = model;
        this.primary = primary;
        this.canary = canary;
        this.canaryWeight = canaryWeight;
        this.shadow = shadow;
        this.pinHeader = pinHeader == null || pinHeader.isBlank() ? DEFAULT_PIN_HEADER : pinHeader.toLowerCase(Locale.ROOT);
        this.cohortHeader = cohortHeader == null || cohortHeader.isBlank() ? null : cohortHeader.toLowerCase(Locale.ROOT);
        this.seed = seed;
        List<String> problems = problems();
        if (!problems.isEmpty()) {
            throw new InvalidInputException(String.join("; ", problems));
        }
    }

    /** All primary traffic to {@code version}; no canary, no shadow. */
    public static TrafficPolicy primaryOnly(String model, int version) {
        return new TrafficPolicy(model, version, null, 0, null, null, null, 0L);
    }

    public TrafficPolicy withCanary(Integer version, int weight) {
        return new TrafficPolicy(model, primary, version, version == null ? 0 : weight, shadow, pinHeader, cohortHeader, seed);
    }

    public TrafficPolicy withShadow(Integer version) {
        return new TrafficPolicy(model, primary, canary, canaryWeight, version, pinHeader, cohortHeader, seed);
    }

    public TrafficPolicy withPrimary(int version) {
        return new TrafficPolicy(model, version, canary, canaryWeight, shadow, pinHeader, cohortHeader, seed);
    }

    public TrafficPolicy withCohortHeader(String header) {
        return new TrafficPolicy(model, primary, canary, canaryWeight, shadow, pinHeader, header, seed);
    }

    public TrafficPolicy withSeed(long newSeed) {
        return new TrafficPolicy(model, primary, canary, canaryWeight, shadow, pinHeader, cohortHeader, newSeed);
    }

    /** Versions this policy needs loaded: primary, then canary and shadow when set. */
    public List<Integer> versions() {
        List<Integer> versions = new ArrayList<>(List.of(primary));
        if (canary != null) {
            versions.add(canary);
        }
        if (shadow != null && !versions.contains(shadow)) {
            versions.add(shadow);
        }
        return List.copyOf(versions);
    }

    /** The role of {@code version} under this policy: primary, canary, shadow or other. */
    public String roleOf(int version) {
        if (version == primary) {
            return "primary";
        }
        if (canary != null && version == canary) {
            return "canary";
        }
        if (shadow != null && version == shadow) {
            return "shadow";
        }
        return "other";
    }

    private List<String> problems() {
        List<String> problems = new ArrayList<>();
        if (model == null || model.isBlank()) {
            problems.add("traffic.model: missing; name the served model, e.g. \"model\":\"churn\"");
        }
        if (primary < 1) {
            problems.add("traffic.primary: " + primary + " is not a version number; set the primary version (>= 1)");
        }
        if (canaryWeight < 0 || canaryWeight > 100) {
            problems.add("traffic.canaryWeight: " + canaryWeight + " not in 0..100; give a percentage");
        }
        if (canary == null && canaryWeight != 0) {
            problems.add("traffic.canaryWeight: " + canaryWeight + " without a canary version; set traffic.canary or weight 0");
        }
        if (canary != null && canary < 1) {
            problems.add("traffic.canary: " + canary + " is not a version number; use >= 1 or leave it out");
        }
        if (canary != null && canary == primary) {
            problems.add("traffic.canary: " + canary + " is also the primary; pick another version or leave it out");
        }
        if (shadow != null && shadow < 1) {
            problems.add("traffic.shadow: " + shadow + " is not a version number; use >= 1 or leave it out");
        }
        if (shadow != null && shadow == primary) {
            problems.add("traffic.shadow: " + shadow + " is also the primary; a shadow must be another version");
        }
        if (!HEADER.matcher(pinHeader).matches()) {
            problems.add("traffic.pinHeader: '" + pinHeader + "' is not a header name; use letters, digits and '-'");
        }
        if (cohortHeader != null && !HEADER.matcher(cohortHeader).matches()) {
            problems.add("traffic.cohortHeader: '" + cohortHeader + "' is not a header name; use letters, digits and '-'");
        }
        if (cohortHeader != null && cohortHeader.equals(pinHeader)) {
            problems.add("traffic.cohortHeader: '" + cohortHeader + "' is also the pin header; use two different headers");
        }
        if (isSensitive(pinHeader) || cohortHeader != null && isSensitive(cohortHeader)) {
            problems.add("traffic: authorization, cookie and proxy-authorization cannot select traffic; use e.g. x-cohort");
        }
        return problems;
    }

    private static boolean isSensitive(String header) {
        return header.equals("authorization") || header.equals("cookie") || header.equals("proxy-authorization");
    }
}
