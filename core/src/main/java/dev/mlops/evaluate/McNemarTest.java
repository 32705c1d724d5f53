package dev.mlops.evaluate;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;
import org.apache.commons.statistics.distribution.ChiSquaredDistribution;
import org.apache.commons.statistics.inference.AlternativeHypothesis;
import org.apache.commons.statistics.inference.BinomialTest;

/**
 * McNemar's test that two classifiers have the same accuracy on the same rows, from the
 * discordant pairs: b = rows only the candidate gets right, c = rows only the baseline gets right.
 * <ul>
 *   <li>b + c below {@link #DEFAULT_EXACT_BELOW}: exact two-sided binomial test of min(b, c) out of
 *       b + c at p = 0.5 ({@code scipy.stats.binomtest(min(b, c), b + c, 0.5).pvalue});</li>
 *   <li>otherwise chi-square with continuity correction, statistic (|b − c| − 1)² / (b + c) on one
 *       degree of freedom ({@code scipy.stats.chi2.sf(stat, 1)}), as statsmodels'
 *       {@code mcnemar(exact=False, correction=True)}.</li>
 * </ul>
 * No discordant pairs gives p = 1.
 */
public final class McNemarTest {
    public static final int DEFAULT_EXACT_BELOW = 25;

    private final int exactBelow;

    private McNemarTest(int exactBelow) {
        if (exactBelow < 0) {
            throw new IllegalArgumentException("exactBelow must be >= 0, got " + exactBelow);
        }
        this.exactBelow = exactBelow;
    }

    public static McNemarTest withDefaults() {
        return new McNemarTest(DEFAULT_EXACT_BELOW);
    }

    /** Use the exact binomial test while b + c is below {@code discordant}. */
    public McNemarTest withExactBelow(int discordant) {
        return new McNemarTest(discordant);
    }

    public enum Method {
        EXACT_BINOMIAL,
        CHI_SQUARE_CONTINUITY;

        @JsonValue
        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }

        @JsonCreator
        public static Method fromId(String id) {
            return valueOf(id.toUpperCase(Locale.ROOT));
        }
    }

    /**
     * @param candidateOnlyCorrect b: rows the candidate classifies right and the baseline wrong
     * @param baselineOnlyCorrect  c: rows the baseline classifies right and the candidate wrong
     * @param rows                 all paired rows
     * @param statistic            min(b, c) for the exact test, the chi-square statistic otherwise
     * @param pValue               two-sided p-value
     * @param effect               (b − c) / rows, the accuracy difference candidate − baseline
     * @param method               which test was used
     */
    public record Result(long candidateOnlyCorrect, long baselineOnlyCorrect, long rows, double statistic,
                         double pValue, double effect, Method method) {
        /** Whether the p-value is below {@code alpha}, which must be in (0, 0.5]. */
        public boolean reject(double alpha) {
            if (!(alpha > 0 && alpha <= 0.5)) {
                throw new IllegalArgumentException("alpha must be in (0, 0.5], got " + alpha);
            }
            return pValue < alpha;
        }
    }

    public Result test(int[] truth, int[] candidatePredicted, int[] baselinePredicted) {
        if (truth.length != candidatePredicted.length || truth.length != baselinePredicted.length) {
            throw new IllegalArgumentException("array lengths differ: " + truth.length + ", "
                    + candidatePredicted.length + ", " + baselinePredicted.length);
        }
        long b = 0;
        long c = 0;
        for (int i = 0; i < truth.length; i++) {
            boolean cc = candidatePredicted[i] == truth[i];
            boolean bc = baselinePredicted[i] == truth[i];
            if (cc && !bc) {
                b++;
            } else if (bc && !cc) {
                c++;
            }
        }
        return test(b, c, truth.length);
    }

    public Result test(long candidateOnlyCorrect, long baselineOnlyCorrect, long rows) {
        long b = candidateOnlyCorrect;
        long c = baselineOnlyCorrect;
        if (b < 0 || c < 0 || b + c > rows) {
            throw new IllegalArgumentException("invalid counts b=" + b + ", c=" + c + ", rows=" + rows);
        }
        long discordant = b + c;
        double effect = rows == 0 ? 0 : (double) (b - c) / rows;
        if (discordant < exactBelow || discordant == 0) {
            long k = Math.min(b, c);
            double p = discordant == 0 ? 1.0
                    : BinomialTest.withDefaults().with(AlternativeHypothesis.TWO_SIDED)
                            .test((int) discordant, (int) k, 0.5).getPValue();
            return new Result(b, c, rows, k, Math.min(1.0, p), effect, Method.EXACT_BINOMIAL);
        }
        double diff = Math.abs(b - c) - 1.0;
        double statistic = diff * diff / discordant;
        double p = ChiSquaredDistribution.of(1).survivalProbability(statistic);
        return new Result(b, c, rows, statistic, p, effect, Method.CHI_SQUARE_CONTINUITY);
    }
}
