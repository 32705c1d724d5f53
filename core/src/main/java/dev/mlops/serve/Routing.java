package dev.mlops.serve;

/**
 * Where one request goes: the version that answers, its role under the policy in force
 * (primary, canary, shadow, other), what chose it (default, weight, cohort, header, url) and the
 * version that mirrors it in shadow mode, if any.
 */
public record Routing(int version, String route, String selector, Integer shadow) {
    public static final String DEFAULT = "default";
    public static final String WEIGHT = "weight";
    public static final String COHORT = "cohort";
    public static final String HEADER = "header";
    public static final String URL = "url";
}
