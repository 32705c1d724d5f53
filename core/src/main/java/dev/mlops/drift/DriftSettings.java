package dev.mlops.drift;

import dev.mlops.error.InvalidInputException;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How drift is decided. Defaults follow Evidently's automatic choice: when the smaller of the two
 * samples has at most {@code smallSample} values, KS (numeric), chi-square (categorical) or the
 * two-proportion z-test (two values) at p &lt; {@code alpha}; above it, Wasserstein distance normalised by
 * the reference standard deviation (numeric) or Jensen–Shannon distance (categorical) ≥ 0.1.
 *
 * @param method        auto | psi | ks | wasserstein | jensen_shannon | chi_square
 * @param correction    benjamini_hochberg | bonferroni | none: across the features tested with p-values
 * @param driftShare    the dataset drifts when at least this share of the features drifts, in (0, 1]
 */
public record DriftSettings(String method, String correction, double driftShare, double alpha, double psiThreshold,
                            double wassersteinThreshold, double jensenShannonThreshold, int smallSample) {
    public static final String AUTO = "auto";
    public static final String PSI = "psi";
    public static final String KS = "ks";
    public static final String WASSERSTEIN = "wasserstein";
    public static final String JENSEN_SHANNON = "jensen_shannon";
    public static final String CHI_SQUARE = "chi_square";
    public static final String Z_TEST = "z_test";
    public static final List<String> METHODS = List.of(AUTO, PSI, KS, WASSERSTEIN, JENSEN_SHANNON, CHI_SQUARE);
    public static final String BENJAMINI_HOCHBERG = "benjamini_hochberg";
    public static final String BONFERRONI = "bonferroni";
    public static final String NONE = "none";
    public static final List<String> CORRECTIONS = List.of(BENJAMINI_HOCHBERG, BONFERRONI, NONE);

    public DriftSettings {
        method = method == null ? AUTO : method.toLowerCase(Locale.ROOT).replace('-', '_');
        correction = correction == null ? BENJAMINI_HOCHBERG : correction.toLowerCase(Locale.ROOT).replace('-', '_');
        if (!METHODS.contains(method)) {
            throw new InvalidInputException("drift.method: '" + method + "' is not a method; use one of " + String.join(", ", METHODS));
        }
        if (!CORRECTIONS.contains(correction)) {
            throw new InvalidInputException("drift.correction: '" + correction + "' is not known; use one of " + String.join(", ", CORRECTIONS));
        }
        if (!(driftShare > 0 && driftShare <= 1)) {
            throw new InvalidInputException("drift.drift_share: " + driftShare + " must be in (0, 1], e.g. 0.5 = half the features");
        }
        if (!(alpha > 0 && alpha < 1)) {
            throw new InvalidInputException("threshold ks/chi_square/z_test (alpha): " + alpha + " must be in (0, 1), e.g. 0.05");
        }
        positive("psi", psiThreshold);
        positive("wasserstein", wassersteinThreshold);
        positive("jensen_shannon", jensenShannonThreshold);
        if (smallSample < 0) {
            throw new InvalidInputException("small_sample: " + smallSample + " must be 0 or more (default 1000)");
        }
    }

    private static void positive(String name, double value) {
        if (!(value > 0) || Double.isInfinite(value)) {
            throw new InvalidInputException("threshold " + name + ": " + value + " must be a positive number");
        }
    }

    public static DriftSettings defaults() {
        return new DriftSettings(AUTO, BENJAMINI_HOCHBERG, 0.5, 0.05, 0.1, 0.1, 0.1, 1000);
    }

    public DriftSettings withMethod(String m) {
        return new DriftSettings(m, correction, driftShare, alpha, psiThreshold, wassersteinThreshold, jensenShannonThreshold, smallSample);
    }

    public DriftSettings withCorrection(String c) {
        return new DriftSettings(method, c, driftShare, alpha, psiThreshold, wassersteinThreshold, jensenShannonThreshold, smallSample);
    }

    public DriftSettings withDriftShare(double share) {
        return new DriftSettings(method, correction, share, alpha, psiThreshold, wassersteinThreshold, jensenShannonThreshold, smallSample);
    }

    /** Overrides thresholds from NAME=VALUE pairs: alpha (or ks, chi_square, z_test), psi, wasserstein, jensen_shannon, small_sample. */
    public DriftSettings withThresholds(Map<String, String> overrides) {
        DriftSettings s = this;
        for (Map.Entry<String, String> e : overrides.entrySet()) {
            String key = e.getKey().toLowerCase(Locale.ROOT).replace('-', '_');
            double v;
            try {
                v = Double.parseDouble(e.getValue().trim());
            } catch (NumberFormatException bad) {
                throw new InvalidInputException("threshold " + key + ": '" + e.getValue() + "' is not a number; pass e.g. " + key + "=0.1");
            }
            s = switch (key) {
                case "alpha", KS, CHI_SQUARE, Z_TEST -> new DriftSettings(s.method, s.correction, s.driftShare, v, s.psiThreshold,
                        s.wassersteinThreshold, s.jensenShannonThreshold, s.smallSample);
                case PSI -> new DriftSettings(s.method, s.correction, s.driftShare, s.alpha, v, s.wassersteinThreshold,
                        s.jensenShannonThreshold, s.smallSample);
                case WASSERSTEIN -> new DriftSettings(s.method, s.correction, s.driftShare, s.alpha, s.psiThreshold, v,
                        s.jensenShannonThreshold, s.smallSample);
                case JENSEN_SHANNON -> new DriftSettings(s.method, s.correction, s.driftShare, s.alpha, s.psiThreshold,
                        s.wassersteinThreshold, v, s.smallSample);
                case "small_sample" -> new DriftSettings(s.method, s.correction, s.driftShare, s.alpha, s.psiThreshold,
                        s.wassersteinThreshold, s.jensenShannonThreshold, (int) v);
                default -> throw new InvalidInputException("threshold: '" + e.getKey()
                        + "' is not known; use alpha, psi, wasserstein, jensen_shannon or small_sample");
            };
        }
        return s;
    }

    static boolean usesPValue(String method) {
        return method.equals(KS) || method.equals(CHI_SQUARE) || method.equals(Z_TEST);
    }

    double threshold(String m) {
        return switch (m) {
            case PSI -> psiThreshold;
            case WASSERSTEIN -> wassersteinThreshold;
            case JENSEN_SHANNON -> jensenShannonThreshold;
            default -> alpha;
        };
    }
}
