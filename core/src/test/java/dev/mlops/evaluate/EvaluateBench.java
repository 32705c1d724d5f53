package dev.mlops.evaluate;

import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/**
 * Bootstrap timings on synthetic binary data, no JMH:
 *
 * <pre>
 * mvn -q -pl core test-compile exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=dev.mlops.evaluate.EvaluateBench -Dexec.args="1000000 1000"
 * </pre>
 *
 * Arguments: rows, resamples, threads (default: all processors). Compare with
 * {@code /usr/bin/python3 scripts/bench/bootstrap_numpy.py}, which times the same computations in
 * numpy. Each timing includes building the statistic from the scores (counting outcomes, per-row
 * losses, sorting for AUC) and is the best of three runs after a warm-up.
 */
public final class EvaluateBench {
    private EvaluateBench() {
    }

    public static void main(String[] args) {
        int rows = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int resamples = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
        int threads = args.length > 2 ? Integer.parseInt(args[2]) : Runtime.getRuntime().availableProcessors();
        SplittableRandom rng = new SplittableRandom(7);
        int[] truth = new int[rows];
        double[] candidate = new double[rows * 2];
        double[] baseline = new double[rows * 2];
        for (int i = 0; i < rows; i++) {
            truth[i] = rng.nextDouble() < 0.3 ? 1 : 0;
            double signal = truth[i] == 1 ? 0.25 : -0.25;
            double pc = clamp(0.5 + signal + 0.25 * rng.nextGaussian());
            double pb = clamp(0.5 + 0.9 * signal + 0.25 * rng.nextGaussian());
            candidate[2 * i] = 1 - pc;
            candidate[2 * i + 1] = pc;
            baseline[2 * i] = 1 - pb;
            baseline[2 * i + 1] = pb;
        }
        ModelScores c = ModelScores.classification(candidate, 2);
        ModelScores b = ModelScores.classification(baseline, 2);
        PairedBootstrap bootstrap = PairedBootstrap.withDefaults().withResamples(resamples).withParallelism(threads).withSeed(1);
        System.out.printf(Locale.ROOT, "rows=%d resamples=%d threads=%d java=%s%n", rows, resamples, threads,
                System.getProperty("java.version"));

        Supplier<BootstrapStatistic> accuracy = () -> PairedStatistics.delta(Metric.ACCURACY, truth, c, b);
        Supplier<BootstrapStatistic> accuracyPerRow = () -> {
            double[] correct = new double[rows];
            for (int i = 0; i < rows; i++) {
                correct[i] = (c.predictedClass(i) == truth[i] ? 1 : 0) - (b.predictedClass(i) == truth[i] ? 1 : 0);
            }
            return BootstrapStatistic.rowSums(new double[][] {correct}, s -> s[1] / s[0]);
        };
        Supplier<BootstrapStatistic> logLoss = () -> PairedStatistics.delta(Metric.LOG_LOSS, truth, c, b);
        Supplier<BootstrapStatistic> auc = () -> PairedStatistics.delta(Metric.ROC_AUC, truth, c, b);

        time("accuracy diff, sufficient statistics (exact)", bootstrap, accuracy, resamples);
        time("accuracy diff, Poisson(1) weight per row", bootstrap, accuracyPerRow, resamples);
        time("log-loss diff, Poisson(1) weight per row", bootstrap, logLoss, resamples);
        PairedBootstrap aucBootstrap = bootstrap.withResamples(Math.max(1, resamples / 10));
        time("ROC AUC diff, Poisson(1) weight per row (resamples/10)", aucBootstrap, auc, aucBootstrap.resamples());
    }

    private static void time(String label, PairedBootstrap bootstrap, Supplier<BootstrapStatistic> statistic, int resamples) {
        bootstrap.withResamples(Math.max(1, resamples / 10)).interval(statistic.get());
        double best = Double.MAX_VALUE;
        PairedBootstrap.Result result = null;
        for (int run = 0; run < 3; run++) {
            long start = System.nanoTime();
            result = bootstrap.interval(statistic.get());
            best = Math.min(best, (System.nanoTime() - start) / 1e9);
        }
        System.out.printf(Locale.ROOT, "%-58s %9.4f s  %9.4f ms/resample  CI [%+.5f, %+.5f] est %+.5f%n", label, best,
                best * 1000 / resamples, result.lower(), result.upper(), result.estimate());
    }

    private static double clamp(double p) {
        return Math.min(1, Math.max(0, p));
    }
}
