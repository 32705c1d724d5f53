package dev.mlops.drift;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mlops.error.InvalidInputException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Drift is found where it was injected, not where there is none, and odd data is reported rather than crashed on. */
class DriftTest {
    private static final Instant NOW = Instant.parse("2025-01-01T00:00:00Z");
    private static final String[] COLORS = {"red", "green", "blue"};

    @TempDir
    static Path dir;
    static ReferenceProfile reference;

    /** x ~ N(0,1), y ~ N(5,2), color uniform over red/green/blue, flag 1 with probability 0.3, label. */
    static void writeCsv(Path file, int rows, long seed, double xShift, double yScale, String extraColor) throws IOException {
        Random random = new Random(seed);
        StringBuilder b = new StringBuilder("x,y,color,flag,label\n");
        for (int i = 0; i < rows; i++) {
            String color = extraColor != null && random.nextDouble() < 0.3 ? extraColor : COLORS[random.nextInt(3)];
            b.append(random.nextGaussian() + xShift).append(',').append(5 + 2 * yScale * random.nextGaussian()).append(',')
                    .append(color).append(',').append(random.nextDouble() < 0.3 ? 1 : 0).append(',').append(random.nextInt(2)).append('\n');
        }
        Files.writeString(file, b.toString());
    }

    @BeforeAll
    static void profile() throws IOException {
        Path train = dir.resolve("train.csv");
        writeCsv(train, 20_000, 1, 0, 1, null);
        reference = ReferenceProfiler.profile(train, new ReferenceProfiler.Options(List.of(), "label", java.util.Set.of(), 5000, 50, 42), null, NOW);
    }

    private static Map<String, FeatureDrift> byName(DriftReport report) {
        return report.features().stream().collect(Collectors.toMap(FeatureDrift::feature, Function.identity()));
    }

    private static DriftReport fromCsv(Path csv, DriftSettings settings) {
        CurrentWindow window = new CurrentWindow(reference, CurrentWindow.DEFAULT_SAMPLE_CAP, 7);
        CurrentSources.csv(window, csv, 0);
        return DriftAnalyzer.analyze(window, settings, "m", 1, null, null, NOW);
    }

    @Test
    void profileDescribesTheTrainingData() {
        assertEquals(20_000, reference.rows());
        assertEquals(List.of("x", "y", "color", "flag"), reference.features().stream().map(ColumnProfile::name).toList());
        ColumnProfile x = reference.feature("x").orElseThrow();
        assertEquals(ColumnProfile.NUMERIC, x.type());
        assertEquals(0, x.mean(), 0.05);
        assertEquals(1, x.std(), 0.05);
        assertEquals(5000, x.sample().size());
        assertEquals(101, x.quantiles().size());
        assertEquals(20_000, x.binCounts().stream().mapToLong(Long::longValue).sum());
        ColumnProfile color = reference.feature("color").orElseThrow();
        assertEquals(ColumnProfile.CATEGORICAL, color.type());
        assertEquals(3, color.categories().size());
        assertEquals(0L, color.otherCount());
        ColumnProfile flag = reference.feature("flag").orElseThrow();
        assertEquals(List.of(0.0, 1.0), flag.values());
        ReferenceProfile back = ReferenceProfile.fromJson(reference.toJson(), "test");
        assertEquals(reference, back);
    }

    @Test
    void injectedDriftIsFoundOnLargeWindows() throws IOException {
        Path current = dir.resolve("drifted.csv");
        writeCsv(current, 5000, 2, 0.5, 2, "purple");
        DriftReport report = fromCsv(current, DriftSettings.defaults());
        Map<String, FeatureDrift> f = byName(report);
        assertEquals(DriftSettings.WASSERSTEIN, f.get("x").method());
        assertTrue(f.get("x").drifted(), "shifted mean");
        assertTrue(f.get("y").drifted(), "doubled standard deviation");
        assertEquals(DriftSettings.JENSEN_SHANNON, f.get("color").method());
        assertTrue(f.get("color").drifted(), "new category");
        assertEquals(List.of("purple"), f.get("color").newCategories());
        assertTrue(f.get("color").newValueRows() > 1000);
        assertFalse(f.get("flag").drifted());
        assertTrue(report.drifted());
        assertEquals(3, report.driftedFeatures());
        assertEquals("y", report.features().get(0).feature().equals("y") ? "y" : report.features().get(0).feature(),
                "sorted by drift score, drifted first");
        assertTrue(report.features().get(3).feature().equals("flag"));
        Map<String, Object> summary = report.summary();
        assertEquals(DriftReport.SUMMARY_SCHEMA, summary.get("schema"));
        assertEquals(true, summary.get("drift"));
    }

    @Test
    void injectedDriftIsFoundOnSmallWindowsWithTests() throws IOException {
        Path current = dir.resolve("drifted-small.csv");
        writeCsv(current, 400, 3, 0.5, 2, "purple");
        DriftReport report = fromCsv(current, DriftSettings.defaults());
        Map<String, FeatureDrift> f = byName(report);
        assertEquals(DriftSettings.KS, f.get("x").method());
        assertEquals(DriftSettings.CHI_SQUARE, f.get("color").method());
        assertEquals(DriftSettings.Z_TEST, f.get("flag").method());
        assertTrue(f.get("x").drifted());
        assertTrue(f.get("y").drifted());
        assertTrue(f.get("color").drifted());
        assertNotNull(f.get("x").adjustedP());
        assertTrue(f.get("x").adjustedP() >= f.get("x").pValue(), "Benjamini-Hochberg never lowers a p-value");
    }

    @Test
    void sameDistributionRarelyDrifts() {
        // 200 seeded windows of 300 rows from the training distribution, tested feature by feature without correction
        int trials = 200;
        int[] falseAlarms = new int[4];
        DriftSettings settings = DriftSettings.defaults().withCorrection(DriftSettings.NONE);
        int datasetAlarms = 0;
        for (int t = 0; t < trials; t++) {
            Random random = new Random(1000 + t);
            int n = 300;
            double[] x = new double[n];
            double[] y = new double[n];
            String[] color = new String[n];
            double[] flag = new double[n];
            for (int i = 0; i < n; i++) {
                x[i] = random.nextGaussian();
                y[i] = 5 + 2 * random.nextGaussian();
                color[i] = COLORS[random.nextInt(3)];
                flag[i] = random.nextDouble() < 0.3 ? 1 : 0;
            }
            CurrentWindow window = new CurrentWindow(reference, CurrentWindow.DEFAULT_SAMPLE_CAP, t);
            window.addNumbers("x", x);
            window.addNumbers("y", y);
            window.addCategories("color", color);
            window.addNumbers("flag", flag);
            window.rows(n, "memory");
            DriftReport report = DriftAnalyzer.analyze(window, settings, null, null, null, null, NOW);
            Map<String, FeatureDrift> f = byName(report);
            String[] names = {"x", "y", "color", "flag"};
            for (int k = 0; k < names.length; k++) {
                if (f.get(names[k]).drifted()) {
                    falseAlarms[k]++;
                }
            }
            if (report.drifted()) {
                datasetAlarms++;
            }
        }
        for (int k = 0; k < falseAlarms.length; k++) {
            assertTrue(falseAlarms[k] <= 14, "feature " + k + ": " + falseAlarms[k] + " false alarms in 200 trials at alpha 0.05 (<= 7% allowed)");
        }
        assertTrue(datasetAlarms <= 4, datasetAlarms + " dataset-level false alarms in 200 trials");
    }

    @Test
    void sameDistributionLargeWindowDoesNotDrift() throws IOException {
        Path current = dir.resolve("same.csv");
        writeCsv(current, 20_000, 99, 0, 1, null);
        DriftReport report = fromCsv(current, DriftSettings.defaults());
        assertFalse(report.drifted());
        assertEquals(0, report.driftedFeatures(), report.features().toString());
    }

    @Test
    void missingInvalidOutOfRangeAndAbsentColumnsAreReported() throws IOException {
        Path current = dir.resolve("odd.csv");
        StringBuilder b = new StringBuilder("x,color,extra\n");
        for (int i = 0; i < 50; i++) {
            b.append(i % 5 == 0 ? "" : i % 7 == 0 ? "oops" : i % 11 == 0 ? "1e9" : String.valueOf(i / 100.0)).append(',')
                    .append(i % 3 == 0 ? "NA" : "\"red\"").append(",z\n");
        }
        Files.writeString(current, b.toString());
        DriftReport report = fromCsv(current, DriftSettings.defaults());
        Map<String, FeatureDrift> f = byName(report);
        FeatureDrift x = f.get("x");
        assertEquals(10.0 / 50, x.currentMissingShare(), 1e-12);
        assertTrue(x.currentInvalid() > 0);
        assertTrue(x.aboveRange() > 0, "1e9 is above the reference maximum");
        assertEquals(DriftSettings.NONE, f.get("y").method());
        assertTrue(f.get("y").note().contains("absent"));
        assertTrue(report.notes().stream().anyMatch(n -> n.contains("y")));
        assertEquals(17.0 / 50, f.get("color").currentMissingShare(), 1e-12);
        assertEquals(2, report.evaluatedFeatures(), "absent columns are not counted in the share");
    }

    @Test
    void inferenceLogsAreReadWithTimeWindowAndDamagedLinesSkipped() throws IOException {
        Path logs = dir.resolve("logs");
        Files.createDirectories(logs);
        List<String> lines = new ArrayList<>();
        Random random = new Random(5);
        for (int i = 0; i < 200; i++) {
            String ts = Instant.parse("2025-01-01T00:00:00Z").plusSeconds(i).toString();
            lines.add("{\"ts\":\"" + ts + "\",\"model\":\"m\",\"version\":1,\"id\":\"r-" + i + "\",\"route\":\"primary\",\"selector\":\"weight\","
                    + "\"latency_ms\":0.4,\"rows\":2,\"inputs\":[[" + (random.nextGaussian() + 3) + "," + (5 + 2 * random.nextGaussian())
                    + ",2,1],[" + (random.nextGaussian() + 3) + ",null,0,0]],\"outputs\":[[0.2,0.8],[0.6,0.4]]}");
        }
        lines.add("{\"ts\":\"2025-01-01T00:01:00Z\",\"model\":\"m\",\"inputs\":[[1,2"); // a crash mid-write
        Files.write(logs.resolve("inference-000001.jsonl"), lines, StandardCharsets.UTF_8);
        CurrentWindow window = new CurrentWindow(reference, 1000, 1);
        CurrentSources.logs(window, logs, new CurrentSources.LogFilter(Instant.parse("2025-01-01T00:00:50Z"),
                Instant.parse("2025-01-01T00:02:30Z"), "m", null, 0));
        assertEquals(200, window.rows(), "100 records of 2 rows between 0:50 and 2:30");
        DriftReport report = DriftAnalyzer.analyze(window, DriftSettings.defaults(), "m", 1, null, null, NOW);
        Map<String, FeatureDrift> f = byName(report);
        assertTrue(f.get("x").drifted(), "x shifted by 3");
        assertEquals(0.5, f.get("y").currentMissingShare(), 1e-12);
        assertEquals(List.of("2", "0"), f.get("color").newCategories(), "logged numbers become categories; 2 and 0 were never colors");
        assertTrue(report.notes().stream().anyMatch(n -> n.contains("skipped")));
        assertNull(report.prediction(), "no prediction profile without a model");
    }

    @Test
    void reportsAreWrittenAndReadBack() throws IOException {
        Path current = dir.resolve("drifted-report.csv");
        writeCsv(current, 2000, 8, 1, 1, null);
        DriftReport report = fromCsv(current, DriftSettings.defaults());
        List<Path> files = DriftReports.write(report, dir.resolve("report"));
        DriftReport back = DriftReports.readJson(files.get(0));
        assertEquals(report.driftedFeatures(), back.driftedFeatures());
        assertEquals(DriftReport.SCHEMA, back.schema());
        String html = Files.readString(files.get(1));
        assertTrue(html.contains("<svg") && html.contains("DRIFT") && !html.contains("<script"));
        assertTrue(html.indexOf(">x <") < html.indexOf(">color <"), "histograms sorted by drift score");
    }

    @Test
    void badSettingsNameTheFieldAndTheFix() {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> DriftSettings.defaults().withMethod("magic"));
        assertTrue(e.getMessage().startsWith("drift.method"));
        e = assertThrows(InvalidInputException.class, () -> DriftSettings.defaults().withThresholds(Map.of("psi", "x")));
        assertTrue(e.getMessage().contains("psi"));
        e = assertThrows(InvalidInputException.class, () -> DriftSettings.defaults().withDriftShare(0));
        assertTrue(e.getMessage().contains("drift_share"));
    }

    @Test
    void methodsCanBeForcedAndCorrected() throws IOException {
        Path current = dir.resolve("forced.csv");
        writeCsv(current, 3000, 9, 0.3, 1, null);
        DriftReport psi = fromCsv(current, DriftSettings.defaults().withMethod("psi"));
        assertTrue(psi.features().stream().allMatch(f -> f.method().equals("psi")));
        DriftReport ks = fromCsv(current, DriftSettings.defaults().withMethod("ks").withCorrection("bonferroni"));
        FeatureDrift x = byName(ks).get("x");
        assertEquals("ks", x.method());
        assertEquals(Math.min(1, x.pValue() * 3), x.adjustedP(), 1e-12, "3 features tested with p-values: x, y, flag (color falls back)");
        assertEquals("jensen_shannon", byName(ks).get("color").method());
    }

    @Test
    void parallelReadingCountsExactlyWhatSequentialReadingCounts() throws IOException {
        Path current = dir.resolve("parallel.csv");
        writeCsv(current, 30_000, 11, 0.2, 1, "purple");
        CurrentWindow one = new CurrentWindow(reference, 10_000, 3);
        CurrentSources.csv(one, current, Long.MAX_VALUE, 1); // a row limit: the quote-aware sequential reader
        CurrentWindow four = new CurrentWindow(reference, 10_000, 3);
        CurrentSources.csv(four, current, 0, 4, 4096); // many small byte ranges, records cut at their edges
        assertEquals(one.rows(), four.rows());
        for (int f = 0; f < one.features.length; f++) {
            CurrentColumn a = one.features[f];
            CurrentColumn b = four.features[f];
            a.finish();
            b.finish();
            assertEquals(a.below, b.below);
            assertEquals(a.above, b.above);
            assertEquals(java.util.Arrays.toString(a.counts), java.util.Arrays.toString(b.counts));
            assertEquals(a.count, b.count);
            assertEquals(a.missing, b.missing);
            assertEquals(a.min, b.min);
            assertEquals(a.max, b.max);
            if (a.isNumeric()) {
                assertEquals(a.mean(), b.mean(), 1e-9);
                assertEquals(a.std(), b.std(), 1e-9);
                assertEquals(java.util.Arrays.toString(a.sketch().slots), java.util.Arrays.toString(b.sketch().slots));
            } else {
                assertEquals(a.unseen.keys(), b.unseen.keys());
            }
        }
        Map<String, FeatureDrift> x = byName(DriftAnalyzer.analyze(one, DriftSettings.defaults(), null, null, null, null, NOW));
        Map<String, FeatureDrift> y = byName(DriftAnalyzer.analyze(four, DriftSettings.defaults(), null, null, null, null, NOW));
        for (String name : x.keySet()) {
            assertEquals(x.get(name).drifted(), y.get(name).drifted(), name);
        }
    }
}
