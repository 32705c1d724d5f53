package dev.mlops.evaluate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PoissonSamplerTest {
    @Test
    void cellTableGivesExactlyTheInversionWeightForEveryUniform() {
        long[] t = PoissonSampler.thresholds();
        SplittableRandom rng = new SplittableRandom(11);
        for (int i = 0; i < 2_000_000; i++) {
            long u = rng.nextLong() >>> 11;
            assertEquals(PoissonSampler.inversion(u), PoissonSampler.poisson1ViaCells(u));
        }
        for (long threshold : t) {
            for (long u = Math.max(0, threshold - 2); u <= Math.min((1L << 53) - 1, threshold + 2); u++) {
                assertEquals(PoissonSampler.inversion(u), PoissonSampler.poisson1ViaCells(u), "at u = " + u);
            }
        }
        assertEquals(7, PoissonSampler.ambiguousCells(), "cells with a CDF step inside");
    }

    @Test
    void filledWeightsFollowPoissonOne() {
        int n = 4_000_003;
        byte[] w = new byte[n];
        int total = PoissonSampler.fillPoisson1(new long[] {42}, w, 0, n);
        long[] observed = new long[8];
        double sum = 0;
        double sumSq = 0;
        for (byte b : w) {
            observed[Math.min(b, 7)]++;
            sum += b;
            sumSq += (double) b * b;
        }
        assertEquals(sum, total, 0, "the returned total is the sum of the weights");
        double mean = sum / n;
        double var = sumSq / n - mean * mean;
        assertEquals(1.0, mean, 0.002);
        assertEquals(1.0, var, 0.004);
        double chi2 = 0;
        double tail = 1;
        for (int k = 0; k < 7; k++) {
            double p = Math.exp(-1) / factorial(k);
            tail -= p;
            chi2 += sq(observed[k] - n * p) / (n * p);
        }
        chi2 += sq(observed[7] - n * tail) / (n * tail);
        // 7 degrees of freedom: P(chi2 > 24.32) = 0.001
        assertTrue(chi2 < 24.32, "chi-square " + chi2);
    }

    @Test
    void fillIsDeterministicAndBlocksContinueTheStream() {
        byte[] whole = new byte[10_000];
        byte[] parts = new byte[10_000];
        long[] one = {7};
        long[] two = {7};
        int total = PoissonSampler.fillPoisson1(one, whole, 0, whole.length);
        int part = PoissonSampler.fillPoisson1(two, parts, 0, 5000);
        part += PoissonSampler.fillPoisson1(two, parts, 5000, 10_000);
        assertEquals(one[0], two[0]);
        assertEquals(total, part);
        assertEquals(java.util.Arrays.toString(whole), java.util.Arrays.toString(parts));
    }

    @Test
    void packedGroupsOfFiveConsumeTheStreamExactlyAsTheFill() {
        for (long seed = 0; seed < 50; seed++) {
            int n = 10_003;
            byte[] filled = new byte[n];
            long[] fillState = {seed};
            PoissonSampler.fillPoisson1(fillState, filled, 0, n);
            long s = seed;
            int i = 0;
            for (; i + 5 <= n; i += 5) {
                s += PoissonSampler.GOLDEN_GAMMA;
                long p = PoissonSampler.weights5(s, PoissonSampler.mix64(s));
                s += (p >>> 25) * PoissonSampler.GOLDEN_GAMMA;
                for (int t = 0; t < 5; t++) {
                    assertEquals(filled[i + t], (int) (p >>> (5 * t)) & 31, "seed " + seed + " row " + (i + t));
                }
            }
            s += PoissonSampler.GOLDEN_GAMMA;
            long p = PoissonSampler.weightsPartial(s, PoissonSampler.mix64(s), n - i);
            s += (p >>> 25) * PoissonSampler.GOLDEN_GAMMA;
            for (int t = 0; i + t < n; t++) {
                assertEquals(filled[i + t], (int) (p >>> (5 * t)) & 31);
            }
            assertEquals(fillState[0], s, "both end at the same stream state");
        }
    }

    @Test
    void largeAndSmallMeansHaveTheRightMoments() {
        for (double mean : new double[] {0.5, 3, 9.5, 15, 1234, 1_000_000}) {
            SplittableRandom rng = new SplittableRandom((long) mean);
            int draws = 200_000;
            double sum = 0;
            double sumSq = 0;
            for (int i = 0; i < draws; i++) {
                double x = PoissonSampler.poisson(mean, rng);
                sum += x;
                sumSq += x * x;
            }
            double m = sum / draws;
            double v = sumSq / draws - m * m;
            double se = Math.sqrt(mean / draws);
            assertEquals(mean, m, 5 * se, "mean for " + mean);
            assertEquals(mean, v, 0.03 * mean + 0.01, "variance for " + mean);
        }
    }

    @Test
    void ptrsFollowsThePoissonPmf() {
        double mean = 15;
        SplittableRandom rng = new SplittableRandom(5);
        int draws = 1_000_000;
        long[] counts = new long[60];
        for (int i = 0; i < draws; i++) {
            counts[(int) Math.min(59, PoissonSampler.poisson(mean, rng))]++;
        }
        double chi2 = 0;
        int cells = 0;
        for (int k = 3; k <= 35; k++) {
            double p = Math.exp(-mean + k * Math.log(mean) - PoissonSampler.logGamma(k + 1.0));
            chi2 += sq(counts[k] - draws * p) / (draws * p);
            cells++;
        }
        // ~33 cells; P(chi2 > 63.9 | 33 df) = 0.001
        assertTrue(chi2 < 63.9, "chi-square " + chi2 + " over " + cells + " cells");
    }

    @Test
    void logGammaMatchesFactorials() {
        assertEquals(0, PoissonSampler.logGamma(1), 1e-15);
        assertEquals(Math.log(362_880), PoissonSampler.logGamma(10), 1e-12);
        assertEquals(Math.log(6), PoissonSampler.logGamma(4), 1e-12);
        assertEquals(Math.log(Math.sqrt(Math.PI) / 2), PoissonSampler.logGamma(1.5), 1e-12);
    }

    private static double factorial(int k) {
        double f = 1;
        for (int i = 2; i <= k; i++) {
            f *= i;
        }
        return f;
    }

    private static double sq(double x) {
        return x * x;
    }
}
