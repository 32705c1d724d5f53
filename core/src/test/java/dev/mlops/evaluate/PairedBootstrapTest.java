package dev.mlops.evaluate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mlops.evaluate.EvaluationReport.Interval;
import dev.mlops.evaluate.EvaluationReport.MetricComparison;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PairedBootstrapTest {
    static final PairedBootstrap BOOTSTRAP = PairedBootstrap.withDefaults().withSeed(99);

    /** Binary data where the candidate is right with probability pc and the baseline with pb, independently. */
    static Fixtures.Binary binary(int n, double pc, double pb, long seed) {
        return Fixtures.binary(n, pc, pb, seed);
    }

    @Test
    void aLargeImprovementGivesAnIntervalExcludingZero() {
        Fixtures.Binary d = binary(5000, 0.85, 0.75, 1);
        PairedBootstrap.Result r = BOOTSTRAP.interval(PairedStatistics.delta(Metric.ACCURACY, d.truth(), d.candidate(), d.baseline()));
        assertEquals(ClassificationMetrics.accuracy(d.truth(), d.candidate().predicted())
                - ClassificationMetrics.accuracy(d.truth(), d.baseline().predicted()), r.estimate(), 1e-12);
        assertTrue(r.lower() > 0, "lower " + r.lower());
        assertTrue(r.excludes(0));
        assertTrue(r.lower() < r.estimate() && r.estimate() < r.upper());
        assertEquals(5000, r.rows());
        assertEquals(0, r.undefinedResamples());
    }

    @Test
    void identicalModelsGiveAnIntervalContainingZeroAndTheGateDoesNotPass() {
        Fixtures.Binary d = binary(5000, 0.8, 0.8, 2);
        for (Metric metric : new Metric[] {Metric.ACCURACY, Metric.F1_MACRO, Metric.LOG_LOSS, Metric.ROC_AUC}) {
            PairedBootstrap.Result r = BOOTSTRAP.withResamples(200)
                    .interval(PairedStatistics.delta(metric, d.truth(), d.candidate(), d.candidate()));
            assertEquals(0, r.estimate(), 0, metric.id());
            assertFalse(r.excludes(0), metric.id() + " [" + r.lower() + ", " + r.upper() + "]");
            MetricComparison c = new MetricComparison(metric, metric.direction(), 0.8, 0.8, 0.0, 0.0, Interval.of(r), true);
            Outcome o = Gate.decide(MetricGate.superiority(metric), c).outcome();
            assertTrue(o == Outcome.INCONCLUSIVE || o == Outcome.FAIL, metric.id() + " gave " + o);
        }
    }

    @Test
    void almostIdenticalModelsGiveAnIntervalContainingZero() {
        Fixtures.Binary d = binary(5000, 0.8, 0.8, 3);
        PairedBootstrap.Result r = BOOTSTRAP.interval(PairedStatistics.delta(Metric.ACCURACY, d.truth(), d.candidate(), d.baseline()));
        assertFalse(r.excludes(0), "[" + r.lower() + ", " + r.upper() + "]");
    }

    @Test
    void theSameSeedGivesTheSameIntervalWhateverTheThreadCount() {
        Fixtures.Binary d = binary(3000, 0.8, 0.78, 4);
        for (Metric metric : new Metric[] {Metric.ACCURACY, Metric.F1_MACRO, Metric.LOG_LOSS, Metric.ROC_AUC}) {
            BootstrapStatistic s = PairedStatistics.delta(metric, d.truth(), d.candidate(), d.baseline());
            double[] one = BOOTSTRAP.withResamples(200).withParallelism(1).replicates(s);
            double[] three = BOOTSTRAP.withResamples(200).withParallelism(3).replicates(s);
            assertArrayEquals(one, three, 0, metric.id());
            assertEquals(BOOTSTRAP.withResamples(200).interval(s), BOOTSTRAP.withResamples(200).interval(s), metric.id());
            double[] other = BOOTSTRAP.withResamples(200).withSeed(100).replicates(s);
            assertFalse(Arrays.equals(one, other), metric.id() + ": another seed gives other replicates");
        }
    }

    @Test
    void regressionReplicatesDoNotDependOnTheThreadCountEither() {
        SplittableRandom rng = new SplittableRandom(21);
        int n = 10_007;
        double[] y = new double[n];
        double[] c = new double[n];
        double[] b = new double[n];
        for (int i = 0; i < n; i++) {
            y[i] = rng.nextGaussian();
            c[i] = y[i] + 0.5 * rng.nextGaussian();
            b[i] = y[i] + 0.6 * rng.nextGaussian();
        }
        for (Metric metric : new Metric[] {Metric.RMSE, Metric.MAE, Metric.R2}) {
            BootstrapStatistic s = PairedStatistics.delta(metric, y, ModelScores.regression(c), ModelScores.regression(b));
            double[] one = BOOTSTRAP.withResamples(103).withParallelism(1).replicates(s);
            double[] three = BOOTSTRAP.withResamples(103).withParallelism(3).replicates(s);
            assertArrayEquals(one, three, 0, metric.id());
        }
    }

    @Test
    void aMeanDifferenceIntervalHasTheNormalTheoryWidth() {
        int n = 20_000;
        SplittableRandom rng = new SplittableRandom(6);
        double[] a = new double[n];
        double[] b = new double[n];
        for (int i = 0; i < n; i++) {
            double shared = rng.nextGaussian();
            a[i] = shared + 0.1 + rng.nextGaussian();
            b[i] = shared + rng.nextGaussian();
        }
        double[] d = new double[n];
        double mean = 0;
        for (int i = 0; i < n; i++) {
            d[i] = a[i] - b[i];
            mean += d[i];
        }
        mean /= n;
        double ss = 0;
        for (double v : d) {
            ss += (v - mean) * (v - mean);
        }
        double sd = Math.sqrt(ss / (n - 1));
        double normalWidth = 2 * 1.959964 * sd / Math.sqrt(n);
        PairedBootstrap.Result r = BOOTSTRAP.interval(PairedStatistics.meanDifference(a, b));
        double width = r.upper() - r.lower();
        assertEquals(mean, r.estimate(), 1e-12);
        assertEquals(normalWidth, width, 0.10 * normalWidth, "width " + width + " vs normal theory " + normalWidth);
        assertEquals(sd / Math.sqrt(n), r.standardError(), 0.10 * sd / Math.sqrt(n));
    }

    @Test
    void the95PercentIntervalCoversTheTrueDifferenceAbout95PercentOfTheTime() {
        int experiments = 300;
        int covered = 0;
        SplittableRandom rng = new SplittableRandom(8);
        PairedBootstrap small = PairedBootstrap.withDefaults().withResamples(400).withParallelism(1);
        for (int e = 0; e < experiments; e++) {
            int n = 500;
            double[] a = new double[n];
            double[] b = new double[n];
            for (int i = 0; i < n; i++) {
                a[i] = 0.3 + rng.nextGaussian();
                b[i] = rng.nextGaussian();
            }
            PairedBootstrap.Result r = small.withSeed(e).interval(PairedStatistics.meanDifference(a, b));
            covered += r.lower() <= 0.3 && 0.3 <= r.upper() ? 1 : 0;
        }
        double coverage = (double) covered / experiments;
        assertTrue(coverage > 0.91 && coverage < 0.985, "coverage " + coverage);
    }

    @Test
    void sufficientStatisticsAndPerRowWeightsGiveTheSameAccuracyInterval() {
        Fixtures.Binary d = binary(20_000, 0.82, 0.8, 9);
        double[] diff = new double[d.truth().length];
        for (int i = 0; i < diff.length; i++) {
            diff[i] = (d.candidate().predictedClass(i) == d.truth()[i] ? 1 : 0) - (d.baseline().predictedClass(i) == d.truth()[i] ? 1 : 0);
        }
        PairedBootstrap b = BOOTSTRAP.withResamples(4000);
        PairedBootstrap.Result counts = b.interval(PairedStatistics.delta(Metric.ACCURACY, d.truth(), d.candidate(), d.baseline()));
        PairedBootstrap.Result rows = b.interval(BootstrapStatistic.rowSums(new double[][] {diff}, s -> s[1] / s[0]));
        assertEquals(rows.estimate(), counts.estimate(), 1e-12);
        assertEquals(rows.standardError(), counts.standardError(), 0.06 * rows.standardError());
        assertEquals(rows.lower(), counts.lower(), 0.1 * rows.standardError() + 0.15 * (rows.upper() - rows.lower()));
        assertEquals(rows.upper(), counts.upper(), 0.1 * rows.standardError() + 0.15 * (rows.upper() - rows.lower()));
    }

    @Test
    void confusionCellCountsGiveTheSameF1DistributionAsPerRowWeights() {
        int k = 3;
        Fixtures.Multi d = Fixtures.multiclass(6000, k, 0.7, 0.65, 10);
        BootstrapStatistic counts = PairedStatistics.delta(Metric.F1_MACRO, d.truth(), d.candidate(), d.baseline());
        BootstrapStatistic.Weighted perRow = new BootstrapStatistic.Weighted() {
            @Override
            public long rows() {
                return d.truth().length;
            }

            @Override
            public Evaluator evaluator() {
                return w -> {
                    double[][] cmC = new double[k][k];
                    double[][] cmB = new double[k][k];
                    for (int i = 0; i < w.length; i++) {
                        cmC[d.truth()[i]][d.candidate().predictedClass(i)] += w[i];
                        cmB[d.truth()[i]][d.baseline().predictedClass(i)] += w[i];
                    }
                    return ClassificationMetrics.perClass(cmC).macroF1() - ClassificationMetrics.perClass(cmB).macroF1();
                };
            }
        };
        assertEquals(perRow.observed(), counts.observed(), 1e-12);
        PairedBootstrap b = BOOTSTRAP.withResamples(3000);
        PairedBootstrap.Result rc = b.interval(counts);
        PairedBootstrap.Result rr = b.interval(perRow);
        assertEquals(rr.standardError(), rc.standardError(), 0.07 * rr.standardError());
        assertEquals(rr.lower(), rc.lower(), 0.25 * rr.standardError());
        assertEquals(rr.upper(), rc.upper(), 0.25 * rr.standardError());
    }

    @Test
    void weightedAucEqualsTheAucOfTheDataWithRowsRepeated() {
        Fixtures.Multi d = Fixtures.multiclass(400, 3, 0.6, 0.5, 12);
        Fixtures.Binary bin = binary(400, 0.7, 0.6, 13);
        SplittableRandom rng = new SplittableRandom(14);
        for (Object[] c : new Object[][] {{d.truth(), d.candidate(), d.baseline()}, {bin.truth(), bin.candidate(), bin.baseline()}}) {
            int[] truth = (int[]) c[0];
            ModelScores cand = (ModelScores) c[1];
            ModelScores base = (ModelScores) c[2];
            PairedStatistics.AucDelta auc = (PairedStatistics.AucDelta) PairedStatistics.delta(Metric.ROC_AUC, truth, cand, base);
            int k = cand.classes();
            assertEquals(ClassificationMetrics.rocAuc(truth, cand.probabilities(), k) - ClassificationMetrics.rocAuc(truth, base.probabilities(), k),
                    auc.observed(), 1e-12);
            byte[] w = new byte[truth.length];
            int total = 0;
            for (int i = 0; i < w.length; i++) {
                w[i] = (byte) rng.nextInt(4);
                total += w[i];
            }
            int[] repeated = new int[total];
            double[] pc = new double[total * k];
            double[] pb = new double[total * k];
            for (int i = 0, j = 0; i < w.length; i++) {
                for (int r = 0; r < w[i]; r++, j++) {
                    repeated[j] = truth[i];
                    System.arraycopy(cand.probabilities(), i * k, pc, j * k, k);
                    System.arraycopy(base.probabilities(), i * k, pb, j * k, k);
                }
            }
            double expected = ClassificationMetrics.rocAuc(repeated, pc, k) - ClassificationMetrics.rocAuc(repeated, pb, k);
            assertEquals(expected, auc.valueForRowWeights(w), 1e-12);
        }
    }

    @Test
    void regressionDeltasAtUnitWeightsEqualTheMetricDifferences() {
        SplittableRandom rng = new SplittableRandom(15);
        int n = 1000;
        double[] y = new double[n];
        double[] c = new double[n];
        double[] b = new double[n];
        for (int i = 0; i < n; i++) {
            y[i] = 100 + 10 * rng.nextGaussian();
            c[i] = y[i] + rng.nextGaussian();
            b[i] = y[i] + 2 * rng.nextGaussian();
        }
        ModelScores cs = ModelScores.regression(c);
        ModelScores bs = ModelScores.regression(b);
        assertEquals(RegressionMetrics.rmse(y, c) - RegressionMetrics.rmse(y, b),
                PairedStatistics.delta(Metric.RMSE, y, cs, bs).observed(), 1e-9);
        assertEquals(RegressionMetrics.mae(y, c) - RegressionMetrics.mae(y, b),
                PairedStatistics.delta(Metric.MAE, y, cs, bs).observed(), 1e-9);
        assertEquals(RegressionMetrics.r2(y, c) - RegressionMetrics.r2(y, b),
                PairedStatistics.delta(Metric.R2, y, cs, bs).observed(), 1e-9);
        PairedBootstrap.Result r = BOOTSTRAP.withResamples(300).interval(PairedStatistics.delta(Metric.RMSE, y, cs, bs));
        assertTrue(r.upper() < 0, "candidate errors are half the baseline's: RMSE delta < 0");
    }

    @Test
    void quantilesInterpolateLikeNumpy() {
        double[] sorted = {1, 2, 3, 4};
        assertEquals(1.75, PairedBootstrap.quantile(sorted, 0.25), 1e-15); // np.percentile([1,2,3,4], 25)
        assertEquals(3.925, PairedBootstrap.quantile(sorted, 0.975), 1e-12); // np.percentile([1,2,3,4], 97.5)
        assertEquals(1, PairedBootstrap.quantile(sorted, 0), 0);
        assertEquals(4, PairedBootstrap.quantile(sorted, 1), 0);
    }

    @Test
    void undefinedReplicatesAreDroppedAndCounted() {
        // one positive among many rows: most resamples lose it and the AUC is undefined
        int n = 50;
        int[] truth = new int[n];
        truth[0] = 1;
        double[] p = new double[2 * n];
        for (int i = 0; i < n; i++) {
            p[2 * i + 1] = i / (double) n;
            p[2 * i] = 1 - p[2 * i + 1];
        }
        ModelScores s = ModelScores.classification(p, 2);
        PairedBootstrap.Result r = BOOTSTRAP.withResamples(500).interval(PairedStatistics.delta(Metric.ROC_AUC, truth, s, s));
        assertTrue(r.undefinedResamples() > 100 && r.undefinedResamples() < 300, "undefined " + r.undefinedResamples());
        assertNotEquals(Double.NaN, r.lower());
    }
}
