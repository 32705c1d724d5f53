package dev.mlops.drift;

import org.apache.commons.statistics.distribution.ChiSquaredDistribution;
import org.apache.commons.statistics.distribution.NormalDistribution;
import org.apache.commons.statistics.inference.KolmogorovSmirnovTest;
import org.apache.commons.statistics.inference.PValueMethod;

/**
 * The two-sample statistics behind drift, each defined as scipy defines it so the values can be
 * checked against scipy (see scripts/known-answers/drift_vectors.py):
 * <ul>
 *   <li>{@link #ks} as {@code scipy.stats.ks_2samp} (two-sided; exact p-value when the larger sample
 *   has at most 10,000 values, asymptotic above, as scipy's {@code method='auto'});</li>
 *   <li>{@link #wasserstein} as {@code scipy.stats.wasserstein_distance};</li>
 *   <li>{@link #jensenShannon} as {@code scipy.spatial.distance.jensenshannon} with its default natural
 *   logarithm (a distance in [0, sqrt(ln 2)]);</li>
 *   <li>{@link #chiSquare} as {@code scipy.stats.chi2_contingency} on the 2×k table (Yates' correction when it
 *   has one degree of freedom, scipy's default);</li>
 *   <li>{@link #proportionZTest} the pooled two-proportion z-test (its p-value equals chi2_contingency
 *   with {@code correction=False} on the 2×2 table);</li>
 *   <li>{@link #psi} the population stability index, empty shares floored at 0.0001 as Evidently does.</li>
 * </ul>
 */
public final class DriftStatistics {
    /** scipy ks_2samp switches from the exact to the asymptotic p-value above this sample size. */
    static final int KS_EXACT_MAX = 10_000;
    static final double PSI_EMPTY_SHARE = 0.0001;

    private DriftStatistics() {
    }

    /** A test statistic and its p-value (NaN p-value when the method gives none). */
    public record Result(double statistic, double pValue) {
    }

    /** Two-sample Kolmogorov–Smirnov test. */
    public static Result ks(double[] reference, double[] current) {
        if (reference.length == 0 || current.length == 0) {
            return new Result(Double.NaN, Double.NaN);
        }
        PValueMethod method = Math.max(reference.length, current.length) <= KS_EXACT_MAX ? PValueMethod.EXACT : PValueMethod.ASYMPTOTIC;
        KolmogorovSmirnovTest.TwoResult r = KolmogorovSmirnovTest.withDefaults().with(method).test(reference, current);
        return new Result(r.getStatistic(), clamp01(r.getPValue()));
    }

    /**
     * P(K &gt; t) for the limiting Kolmogorov distribution: 1 − √(2π)/t · Σ exp(−(2k−1)²π²/(8t²)) for small t,
     * 2 Σ (−1)^(k−1) exp(−2k²t²) above; the asymptotic two-sample KS p-value is this at √(n·m/(n+m))·D.
     */
    static double kolmogorovSurvival(double t) {
        if (!(t > 0)) {
            return t == t ? 1 : Double.NaN;
        }
        if (t < 1) {
            double sum = 0;
            for (int k = 1; k <= 20; k++) {
                double odd = 2 * k - 1;
                sum += Math.exp(-odd * odd * Math.PI * Math.PI / (8 * t * t));
            }
            return clamp01(1 - Math.sqrt(2 * Math.PI) / t * sum);
        }
        double sum = 0;
        for (int k = 1; k <= 100; k++) {
            double term = Math.exp(-2.0 * k * k * t * t);
            sum += (k % 2 == 1 ? term : -term);
            if (term < 1e-300) {
                break;
            }
        }
        return clamp01(2 * sum);
    }

    /** First Wasserstein distance between two samples, both sorted ascending. */
    public static double wasserstein(double[] sortedA, double[] sortedB) {
        int n = sortedA.length;
        int m = sortedB.length;
        if (n == 0 || m == 0) {
            return Double.NaN;
        }
        int i = 0;
        int j = 0;
        double previous = Math.min(sortedA[0], sortedB[0]);
        double total = 0;
        while (i < n || j < m) {
            double next = j >= m || (i < n && sortedA[i] <= sortedB[j]) ? sortedA[i] : sortedB[j];
            total += Math.abs((double) i / n - (double) j / m) * (next - previous);
            while (i < n && sortedA[i] == next) {
                i++;
            }
            while (j < m && sortedB[j] == next) {
                j++;
            }
            previous = next;
        }
        return total;
    }

    /** Jensen–Shannon distance (natural log) between two count or weight vectors; each is normalised first. */
    public static double jensenShannon(double[] p, double[] q) {
        double sp = sum(p);
        double sq = sum(q);
        if (sp <= 0 || sq <= 0) {
            return Double.NaN;
        }
        double divergence = 0;
        for (int i = 0; i < p.length; i++) {
            double a = p[i] / sp;
            double b = q[i] / sq;
            double mid = (a + b) / 2;
            if (a > 0) {
                divergence += a * Math.log(a / mid);
            }
            if (b > 0) {
                divergence += b * Math.log(b / mid);
            }
        }
        return Math.sqrt(Math.max(divergence / 2, 0));
    }

    /** PSI = Σ (current − reference) · ln(current / reference) over shares; empty shares count as 0.0001. */
    public static double psi(double[] reference, double[] current) {
        double sr = sum(reference);
        double sc = sum(current);
        if (sr <= 0 || sc <= 0) {
            return Double.NaN;
        }
        double psi = 0;
        for (int i = 0; i < reference.length; i++) {
            double r = Math.max(reference[i] / sr, PSI_EMPTY_SHARE);
            double c = Math.max(current[i] / sc, PSI_EMPTY_SHARE);
            psi += (c - r) * Math.log(c / r);
        }
        return psi;
    }

    /**
     * Chi-square test of homogeneity on the 2×k table (reference counts, current counts). Categories empty in
     * both rows are dropped (scipy would refuse a zero expected count); fewer than two left gives statistic 0, p 1.
     */
    public static Result chiSquare(double[] reference, double[] current) {
        int k = 0;
        for (int i = 0; i < reference.length; i++) {
            if (reference[i] + current[i] > 0) {
                k++;
            }
        }
        double nr = sum(reference);
        double nc = sum(current);
        if (nr <= 0 || nc <= 0) {
            return new Result(Double.NaN, Double.NaN);
        }
        if (k < 2) {
            return new Result(0, 1);
        }
        double total = nr + nc;
        boolean yates = k == 2;
        double stat = 0;
        for (int i = 0; i < reference.length; i++) {
            double column = reference[i] + current[i];
            if (column <= 0) {
                continue;
            }
            stat += cell(reference[i], nr * column / total, yates) + cell(current[i], nc * column / total, yates);
        }
        double p = ChiSquaredDistribution.of(k - 1).survivalProbability(stat);
        return new Result(stat, clamp01(p));
    }

    private static double cell(double observed, double expected, boolean yates) {
        double diff = observed - expected;
        if (yates) {
            // scipy: the correction moves each observed value 0.5 toward its expected value, never past it
            diff = Math.signum(diff) * Math.max(Math.abs(diff) - 0.5, 0);
        }
        return diff * diff / expected;
    }

    /** Two-sided pooled z-test that the share of {@code successes} is the same in both samples. */
    public static Result proportionZTest(double referenceSuccesses, double referenceTotal, double currentSuccesses, double currentTotal) {
        if (referenceTotal <= 0 || currentTotal <= 0) {
            return new Result(Double.NaN, Double.NaN);
        }
        double p1 = referenceSuccesses / referenceTotal;
        double p2 = currentSuccesses / currentTotal;
        double pooled = (referenceSuccesses + currentSuccesses) / (referenceTotal + currentTotal);
        double se = Math.sqrt(pooled * (1 - pooled) * (1 / referenceTotal + 1 / currentTotal));
        if (se == 0) {
            return new Result(0, 1);
        }
        double z = (p1 - p2) / se;
        double p = 2 * NormalDistribution.of(0, 1).survivalProbability(Math.abs(z));
        return new Result(z, clamp01(p));
    }

    private static double sum(double[] values) {
        double s = 0;
        for (double v : values) {
            s += v;
        }
        return s;
    }

    private static double clamp01(double p) {
        return Double.isNaN(p) ? p : Math.min(1, Math.max(0, p));
    }
}
