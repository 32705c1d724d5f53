package dev.mlops.drift;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.commons.statistics.inference.KolmogorovSmirnovTest;
import org.apache.commons.statistics.inference.PValueMethod;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The streaming numeric sketch against the exact two-sample computations on the full current column
 * ({@link DriftStatistics#ks} and {@link DriftStatistics#wasserstein}, themselves checked against scipy in
 * {@link DriftKnownAnswersTest}), and the parallel CSV reader against the sequential one.
 */
class DriftSketchTest {
    @TempDir
    Path dir;

    /** A reference profile column whose sample is {@code sample}; edges at its 5% quantiles. */
    static ColumnProfile column(double[] sample) {
        double[] sorted = sample.clone();
        Arrays.sort(sorted);
        List<Double> edges = new ArrayList<>();
        for (int k = 1; k < 20; k++) {
            double q = sorted[k * sorted.length / 20];
            if (edges.isEmpty() || q > edges.get(edges.size() - 1)) {
                edges.add(q);
            }
        }
        double mean = Arrays.stream(sorted).average().orElse(0);
        List<Long> bins = new ArrayList<>();
        for (int i = 0; i <= edges.size(); i++) {
            bins.add(1L);
        }
        return new ColumnProfile("x", ColumnProfile.NUMERIC, sorted.length, 0, 0, mean, 1.0, sorted[0], sorted[sorted.length - 1],
                edges, bins, List.of(), NumericReference.boxed(sorted), null, null, null, null, null, sorted.length);
    }

    record Case(String name, double[] reference, double[] current) {
    }

    /** Vector sets: same distribution, shifted, scaled, heavy ties (rounded values), current beyond the reference range. */
    static List<Case> cases() {
        SplittableRandom r = new SplittableRandom(42);
        List<Case> out = new ArrayList<>();
        out.add(new Case("same", normal(r, 5000, 0, 1), normal(r, 200_000, 0, 1)));
        out.add(new Case("shifted", normal(r, 5000, 0, 1), normal(r, 150_000, 0.3, 1)));
        out.add(new Case("scaled", normal(r, 5000, 10, 2), normal(r, 120_000, 10, 5)));
        double[] ref = normal(r, 5000, 0, 1);
        double[] cur = normal(r, 100_000, 0.1, 1.2);
        for (int i = 0; i < ref.length; i++) {
            ref[i] = Math.rint(ref[i] * 10) / 10;
        }
        for (int i = 0; i < cur.length; i++) {
            cur[i] = Math.rint(cur[i] * 10) / 10;
        }
        out.add(new Case("ties", ref, cur));
        double[] wide = new double[50_000];
        for (int i = 0; i < wide.length; i++) {
            wide[i] = r.nextDouble() * 20 - 10;
        }
        out.add(new Case("wider than the reference", normal(r, 3000, 0, 1), wide));
        return out;
    }

    static double[] normal(SplittableRandom r, int n, double mean, double sd) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            double u1 = r.nextDouble();
            double u2 = r.nextDouble();
            v[i] = mean + sd * Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2);
        }
        return v;
    }

    static NumericSketch sketch(Case c) {
        NumericSketch s = new NumericSketch(new ReferencePoints(column(c.reference)), 0);
        for (double v : c.current) {
            s.add(v);
        }
        return s;
    }

    @Test
    void streamingKsEqualsTheExactKsOnTheFullCurrentColumn() {
        for (Case c : cases()) {
            NumericSketch s = sketch(c);
            double[] ref = c.reference.clone();
            double[] cur = c.current.clone();
            Arrays.sort(ref);
            Arrays.sort(cur);
            DriftStatistics.Result exact = DriftStatistics.ks(ref, cur);
            DriftStatistics.Result streamed = s.ks();
            assertEquals(exact.statistic(), streamed.statistic(), 1e-12, c.name + ": KS statistic");
            double en = (double) ref.length * cur.length / (ref.length + cur.length);
            assertEquals(DriftStatistics.kolmogorovSurvival(Math.sqrt(en) * exact.statistic()), streamed.pValue(), 1e-15,
                    c.name + ": p-value of the limiting Kolmogorov distribution at sqrt(n·m/(n+m))·D");
            // commons-statistics and scipy use the one-sample distribution at n = round(n·m/(n+m)): within 2% here
            double finite = KolmogorovSmirnovTest.withDefaults().with(PValueMethod.ASYMPTOTIC).test(ref, cur).getPValue();
            assertEquals(finite, streamed.pValue(), Math.max(1e-12, 0.02 * finite), c.name + ": near the finite-n p-value");
        }
    }

    @Test
    void kolmogorovSurvivalMatchesScipy() {
        // scipy 1.10.1: scipy.stats.kstwobign.sf([0.5, 1.5, 3])
        assertEquals(0.9639452436648751, DriftStatistics.kolmogorovSurvival(0.5), 1e-12);
        assertEquals(0.022217962616525127, DriftStatistics.kolmogorovSurvival(1.5), 1e-12);
        assertEquals(3.045995948942526e-08, DriftStatistics.kolmogorovSurvival(3), 1e-18);
    }

    @Test
    void streamingWassersteinIsWithinItsStatedErrorBound() {
        for (Case c : cases()) {
            NumericSketch s = sketch(c);
            double[] ref = c.reference.clone();
            double[] cur = c.current.clone();
            Arrays.sort(ref);
            Arrays.sort(cur);
            double exact = DriftStatistics.wasserstein(ref, cur);
            NumericSketch.Wasserstein w = s.wasserstein();
            double error = Math.abs(w.distance() - exact);
            assertTrue(error <= w.errorBound() + 1e-9 * Math.max(1, exact),
                    c.name + ": error " + error + " above the bound " + w.errorBound());
            assertTrue(error <= 0.01 * exact + 1e-6, c.name + ": error " + error + " over 1% of " + exact);
        }
    }

    @Test
    void lookupFindsTheExactSlotOfEveryValue() {
        SplittableRandom r = new SplittableRandom(7);
        double[] sample = normal(r, 5000, 3, 2);
        ReferencePoints points = new ReferencePoints(column(sample));
        double[] p = points.points;
        List<Double> probes = new ArrayList<>();
        for (double v : p) {
            probes.add(v);
            probes.add(Math.nextUp(v));
            probes.add(Math.nextDown(v));
        }
        for (double v : normal(r, 20_000, 3, 4)) {
            probes.add(v);
        }
        probes.addAll(List.of(Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, -1e300, 1e300, 0.0, -0.0));
        for (double v : probes) {
            int at = Arrays.binarySearch(p, v);
            int expected = at >= 0 ? 2 * at + 1 : 2 * (-at - 1);
            assertEquals(expected, points.slot(v), "slot of " + v);
        }
    }

    @Test
    void parallelByteRangesCountWhatTheQuoteAwareReaderCounts() throws IOException {
        Path train = dir.resolve("train.csv");
        DriftTest.writeCsv(train, 5000, 1, 0, 1, null);
        ReferenceProfile reference = ReferenceProfiler.profile(train,
                new ReferenceProfiler.Options(List.of(), "label", java.util.Set.of(), 1000, 50, 42), null, java.time.Instant.EPOCH);
        StringBuilder b = new StringBuilder("\uFEFFx,y,color,flag,label\r\n");
        SplittableRandom r = new SplittableRandom(3);
        for (int i = 0; i < 20_000; i++) {
            String x = switch (i % 97) {
                case 0 -> "";
                case 1 -> "NA";
                case 2 -> "abc";
                case 3 -> "1e-3";
                case 4 -> " 2.5 ";
                case 5 -> "12345678901234567890.5";
                default -> Double.toString(r.nextDouble() * 4 - 2);
            };
            b.append(x).append(',').append(5 + r.nextDouble()).append(',').append(i % 13 == 0 ? "purple" : "red")
                    .append(i % 50 == 0 ? "" : "," + (i % 3 == 0 ? 1 : 0) + ",1").append(i % 2 == 0 ? "\r\n" : "\n");
            if (i % 1000 == 0) {
                b.append('\n');
            }
        }
        Path current = dir.resolve("current.csv");
        Files.writeString(current, b.toString());
        CurrentWindow sequential = new CurrentWindow(reference, 100, 1);
        CurrentSources.csv(sequential, current, Long.MAX_VALUE, 1);
        CurrentWindow parallel = new CurrentWindow(reference, 100, 1);
        CurrentSources.csv(parallel, current, 0, 3, 1000);
        assertEquals(sequential.rows(), parallel.rows());
        assertEquals(20_000, parallel.rows());
        for (int f = 0; f < sequential.features.length; f++) {
            CurrentColumn a = sequential.features[f];
            CurrentColumn c = parallel.features[f];
            a.finish();
            c.finish();
            String name = a.reference.name();
            assertEquals(Arrays.toString(a.counts), Arrays.toString(c.counts), name);
            assertEquals(a.count, c.count, name);
            assertEquals(a.missing, c.missing, name);
            assertEquals(a.invalid, c.invalid, name);
            assertEquals(a.min, c.min, name);
            assertEquals(a.max, c.max, name);
            if (a.isNumeric()) {
                assertEquals(Arrays.toString(a.sketch().slots), Arrays.toString(c.sketch().slots), name);
            } else {
                assertEquals(a.unseen.keys(), c.unseen.keys(), name);
            }
        }
        assertTrue(sequential.features[0].invalid > 0 && sequential.features[0].missing > 0, "odd cells reached the general path");

        Path quoted = dir.resolve("quoted.csv");
        Files.writeString(quoted, b.toString().replace("purple", "\"pur,ple\""));
        CurrentWindow fallback = new CurrentWindow(reference, 100, 1);
        CurrentSources.csv(fallback, quoted, 0, 3, 1000);
        assertEquals(20_000, fallback.rows(), "a quote sends the file to the quote-aware reader, counted once");
        assertTrue(fallback.features[2].unseen.keys().contains("pur,ple"));
    }
}
