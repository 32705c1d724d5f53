package dev.mlops.evaluate;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import java.util.stream.IntStream;

/**
 * Percentile confidence interval of a paired statistic (typically candidate − baseline of a
 * metric on the same rows) by the Poisson bootstrap: in each resample every row gets a weight
 * w ~ Poisson(1), independently, and the statistic is recomputed with those weights. Both models
 * see the same weights, so the pairing is kept.
 *
 * <p>Reproducible: resample b draws from the b-th {@link SplittableRandom#split() split} of a
 * root generator seeded with {@link #seed()} (per-row weights from a SplitMix64 stream seeded by
 * that split), so the replicates do not depend on the number of threads or their scheduling.
 * Resamples run in parallel over {@link #parallelism()} threads.
 *
 * <p>The interval is the (1 − level)/2 and (1 + level)/2 quantiles of the replicates, linearly
 * interpolated (numpy's default {@code percentile}). Replicates where the statistic is undefined
 * (NaN, e.g. an AUC of a resample without positives) are dropped and counted.
 */
public final class PairedBootstrap {
    public static final int DEFAULT_RESAMPLES = 1000;
    public static final double DEFAULT_LEVEL = 0.95;
    public static final long DEFAULT_SEED = 20240601L;

    private final int resamples;
    private final double level;
    private final long seed;
    private final int parallelism;

    private PairedBootstrap(int resamples, double level, long seed, int parallelism) {
        if (resamples < 1) {
            throw new IllegalArgumentException("resamples must be at least 1, got " + resamples);
        }
        if (!(level > 0 && level < 1)) {
            throw new IllegalArgumentException("confidence level must be in (0, 1), got " + level);
        }
        if (parallelism < 1) {
            throw new IllegalArgumentException("parallelism must be at least 1, got " + parallelism);
        }
        this.resamples = resamples;
        this.level = level;
        this.seed = seed;
        this.parallelism = parallelism;
    }

    /** 1000 resamples, 95 %, a fixed seed, one thread per available processor. */
    public static PairedBootstrap withDefaults() {
        return new PairedBootstrap(DEFAULT_RESAMPLES, DEFAULT_LEVEL, DEFAULT_SEED, Runtime.getRuntime().availableProcessors());
    }

    public PairedBootstrap withResamples(int value) {
        return new PairedBootstrap(value, level, seed, parallelism);
    }

    public PairedBootstrap withConfidenceLevel(double value) {
        return new PairedBootstrap(resamples, value, seed, parallelism);
    }

    public PairedBootstrap withSeed(long value) {
        return new PairedBootstrap(resamples, level, value, parallelism);
    }

    public PairedBootstrap withParallelism(int value) {
        return new PairedBootstrap(resamples, level, seed, value);
    }

    public int resamples() {
        return resamples;
    }

    public double level() {
        return level;
    }

    public long seed() {
        return seed;
    }

    public int parallelism() {
        return parallelism;
    }

    /**
     * @param estimate           the statistic on the observed data (the effect size, e.g. the metric delta)
     * @param lower              lower end of the interval (NaN when every replicate was undefined)
     * @param upper              upper end of the interval
     * @param standardError      standard deviation of the defined replicates
     * @param undefinedResamples replicates dropped because the statistic was NaN
     * @param method             how replicates were computed
     * @param rows               paired rows the statistic is computed on
     */
    public record Result(double estimate, double lower, double upper, double level, int resamples,
                         int undefinedResamples, long seed, double standardError, String method, long rows) {
        /** Whether {@code value} lies outside the closed interval. */
        public boolean excludes(double value) {
            return value < lower || value > upper;
        }
    }

    public Result interval(BootstrapStatistic statistic) {
        double estimate = statistic.observed();
        double[] replicates = replicates(statistic);
        double[] defined = Arrays.stream(replicates).filter(v -> !Double.isNaN(v)).toArray();
        int undefined = replicates.length - defined.length;
        if (defined.length == 0) {
            return new Result(estimate, Double.NaN, Double.NaN, level, resamples, undefined, seed, Double.NaN, statistic.method(),
                    statistic.rows());
        }
        Arrays.sort(defined);
        double alpha = 1 - level;
        double lower = quantile(defined, alpha / 2);
        double upper = quantile(defined, 1 - alpha / 2);
        return new Result(estimate, lower, upper, level, resamples, undefined, seed, standardDeviation(defined), statistic.method(),
                statistic.rows());
    }

    /** The replicates in resample order. */
    double[] replicates(BootstrapStatistic statistic) {
        SplittableRandom root = new SplittableRandom(seed);
        SplittableRandom[] streams = new SplittableRandom[resamples];
        for (int b = 0; b < resamples; b++) {
            streams[b] = root.split();
        }
        double[] out = new double[resamples];
        int chunks = Math.min(resamples, parallelism * 4);
        if (parallelism == 1) {
            runChunk(statistic, streams, out, 0, resamples);
            return out;
        }
        ForkJoinPool pool = new ForkJoinPool(parallelism);
        try {
            pool.submit(() -> IntStream.range(0, chunks).parallel().forEach(c -> runChunk(statistic, streams, out,
                    (int) ((long) c * resamples / chunks), (int) ((long) (c + 1) * resamples / chunks)))).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("bootstrap interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException("bootstrap failed: " + e.getCause(), e.getCause());
        } finally {
            pool.shutdown();
        }
        return out;
    }

    private static void runChunk(BootstrapStatistic statistic, SplittableRandom[] streams, double[] out, int from, int to) {
        if (statistic instanceof BootstrapStatistic.Counts counts) {
            double[] scratch = new double[counts.outcomes()];
            for (int b = from; b < to; b++) {
                out[b] = counts.resample(streams[b], scratch);
            }
        } else if (statistic instanceof BootstrapStatistic.RowSums sums) {
            long[] seeds = new long[BootstrapStatistic.RowSums.LANES];
            for (int b = from; b < to; b += seeds.length) {
                int count = Math.min(seeds.length, to - b);
                for (int r = 0; r < count; r++) {
                    seeds[r] = streams[b + r].nextLong();
                }
                sums.resample(seeds, count, out, b);
            }
        } else {
            BootstrapStatistic.Weighted weighted = (BootstrapStatistic.Weighted) statistic;
            BootstrapStatistic.Weighted.Evaluator evaluator = weighted.evaluator();
            byte[] weights = new byte[Math.toIntExact(weighted.rows())];
            for (int b = from; b < to; b++) {
                PoissonSampler.fillPoisson1(new long[] {streams[b].nextLong()}, weights, 0, weights.length);
                out[b] = evaluator.value(weights);
            }
        }
    }

    /** Linear interpolation between order statistics (numpy's default, R type 7). */
    static double quantile(double[] sorted, double q) {
        double h = (sorted.length - 1) * q;
        int lo = (int) Math.floor(h);
        int hi = Math.min(lo + 1, sorted.length - 1);
        return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
    }

    private static double standardDeviation(double[] values) {
        if (values.length < 2) {
            return 0;
        }
        double mean = 0;
        for (double v : values) {
            mean += v;
        }
        mean /= values.length;
        double ss = 0;
        for (double v : values) {
            ss += (v - mean) * (v - mean);
        }
        return Math.sqrt(ss / (values.length - 1));
    }
}
