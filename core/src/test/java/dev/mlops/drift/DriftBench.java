package dev.mlops.drift;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Drift benchmark (not a test; bench/drift.sh runs it beside scripts/bench/drift_pandas.py).
 * <pre>
 *   generate FILE ROWS SEED DRIFT   20 numeric (n0..n19) + 5 categorical (c0..c4) columns; DRIFT=1 shifts some
 *   profile  REF.csv PROFILE.json   the reference profile (one streaming pass)
 *   csv      PROFILE.json CUR.csv REPORT_DIR   end to end: stream the CSV, all methods, write drift.json + drift.html
 *   memory   PROFILE.json CUR.csv [REPORT_DIR]   load the columns (double[], dictionary-coded int[]) first, not timed; time the analysis
 * </pre>
 */
public final class DriftBench {
    static final int NUMERIC = 20;
    static final int CATEGORICAL = 5;
    static final String[][] CATEGORIES = {
            {"red", "green", "blue"}, {"basic", "pro", "enterprise", "free"}, {"eu", "us", "apac", "latam", "mea", "other"},
            {"android", "ios", "web"}, {"a", "b", "c", "d", "e", "f", "g", "h", "i", "j"}};

    private DriftBench() {
    }

    public static void main(String[] args) throws IOException {
        switch (args[0]) {
            case "generate" -> generate(Path.of(args[1]), Long.parseLong(args[2]), Long.parseLong(args[3]), args[4].equals("1"));
            case "profile" -> {
                long t0 = System.nanoTime();
                ReferenceProfile p = ReferenceProfiler.profile(Path.of(args[1]), ReferenceProfiler.Options.defaults(), null, Instant.now());
                Files.write(Path.of(args[2]), p.toJson());
                double s = (System.nanoTime() - t0) / 1e9;
                System.out.printf(Locale.ROOT, "java profile: %d rows in %.2f s (%.0f rows/s)%n", p.rows(), s, p.rows() / s);
            }
            case "csv" -> {
                long t0 = System.nanoTime();
                ReferenceProfile profile = ReferenceProfiles.read(Path.of(args[1]));
                CurrentWindow window = new CurrentWindow(profile, CurrentWindow.DEFAULT_SAMPLE_CAP, 1);
                CurrentSources.csv(window, Path.of(args[2]), 0);
                double read = (System.nanoTime() - t0) / 1e9;
                DriftReport report = DriftAnalyzer.analyze(window, DriftSettings.defaults(), "bench", 1, null, null, Instant.now());
                DriftReports.write(report, Path.of(args[3]));
                double s = (System.nanoTime() - t0) / 1e9;
                System.out.printf(Locale.ROOT, "java csv end-to-end: %d rows in %.2f s (%.0f rows/s); streaming %.2f s; drifted %d of %d%n",
                        window.rows(), s, window.rows() / s, read, report.driftedFeatures(), report.evaluatedFeatures());
            }
            case "memory" -> memory(Path.of(args[1]), Path.of(args[2]), args.length > 3 ? Path.of(args[3]) : null);
            default -> throw new IllegalArgumentException(args[0]);
        }
    }

    static void generate(Path file, long rows, long seed, boolean drift) throws IOException {
        SplittableRandom random = new SplittableRandom(seed);
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 20)) {
            StringBuilder b = new StringBuilder(512);
            for (int i = 0; i < NUMERIC; i++) {
                b.append('n').append(i).append(',');
            }
            for (int i = 0; i < CATEGORICAL; i++) {
                b.append('c').append(i).append(i == CATEGORICAL - 1 ? '\n' : ',');
            }
            out.write(b.toString().getBytes(StandardCharsets.US_ASCII));
            for (long r = 0; r < rows; r++) {
                b.setLength(0);
                for (int i = 0; i < NUMERIC; i++) {
                    double mean = i;
                    double sd = 1 + i % 3;
                    if (drift && i < 4) {
                        mean += 0.5 * sd;       // shifted mean in n0..n3
                    }
                    if (drift && i == 4) {
                        sd *= 2;                // scaled variance in n4
                    }
                    double v = mean + sd * gaussian(random);
                    if (random.nextInt(1000) == 0) {
                        b.append(',');          // 0.1% missing
                        continue;
                    }
                    appendFixed(b, v);
                    b.append(',');
                }
                for (int i = 0; i < CATEGORICAL; i++) {
                    String[] values = CATEGORIES[i];
                    String v = drift && i == 0 && random.nextInt(10) == 0 ? "purple" : values[skewed(random, values.length)];
                    b.append(v).append(i == CATEGORICAL - 1 ? '\n' : ',');
                }
                for (int k = 0; k < b.length(); k++) {
                    out.write(b.charAt(k));
                }
            }
        }
    }

    private static int skewed(SplittableRandom random, int n) {
        int k = random.nextInt(n);
        return random.nextBoolean() ? k : Math.min(k, random.nextInt(n));
    }

    private static double gaussian(SplittableRandom random) {
        double u;
        double v;
        double s;
        do {
            u = random.nextDouble() * 2 - 1;
            v = random.nextDouble() * 2 - 1;
            s = u * u + v * v;
        } while (s >= 1 || s == 0);
        return u * Math.sqrt(-2 * Math.log(s) / s);
    }

    /** Six decimals, like a typical exported feature. */
    private static void appendFixed(StringBuilder b, double v) {
        long scaled = Math.round(v * 1_000_000);
        if (scaled < 0) {
            b.append('-');
            scaled = -scaled;
        }
        b.append(scaled / 1_000_000).append('.');
        String frac = Long.toString(scaled % 1_000_000);
        b.append("000000", 0, 6 - frac.length()).append(frac);
    }

    /**
     * Loads the columns first (not timed): numbers as double[], categories dictionary-coded as int[] (what pandas'
     * category dtype holds), then times the same analysis; columns are added from one thread per core.
     */
    static void memory(Path profilePath, Path csv, Path reportDir) throws IOException {
        ReferenceProfile profile = ReferenceProfiles.read(profilePath);
        List<ColumnProfile> features = profile.features();
        int n = features.size();
        long t0 = System.nanoTime();
        int capacity = 1 << 20;
        double[][] numbers = new double[n][];
        int[][] codes = new int[n][];
        List<java.util.Map<String, Integer>> dictionaries = new java.util.ArrayList<>();
        for (int f = 0; f < n; f++) {
            dictionaries.add(new java.util.LinkedHashMap<>());
            if (features.get(f).isNumeric()) {
                numbers[f] = new double[capacity];
            } else {
                codes[f] = new int[capacity];
            }
        }
        int rows = 0;
        try (DriftCsvReader reader = new DriftCsvReader(csv)) {
            reader.next();
            while (reader.next()) {
                if (rows == capacity) {
                    capacity *= 2;
                    for (int f = 0; f < n; f++) {
                        if (numbers[f] != null) {
                            numbers[f] = java.util.Arrays.copyOf(numbers[f], capacity);
                        } else {
                            codes[f] = java.util.Arrays.copyOf(codes[f], capacity);
                        }
                    }
                }
                for (int f = 0; f < n; f++) {
                    if (numbers[f] != null) {
                        numbers[f][rows] = Cells.number(reader.bytes(), reader.start(f), reader.end(f));
                    } else if (Cells.isMissing(reader.bytes(), reader.start(f), reader.end(f))) {
                        codes[f][rows] = -1;
                    } else {
                        java.util.Map<String, Integer> dictionary = dictionaries.get(f);
                        codes[f][rows] = dictionary.computeIfAbsent(reader.string(f), k -> dictionary.size());
                    }
                }
                rows++;
            }
        }
        double load = (System.nanoTime() - t0) / 1e9;
        for (int f = 0; f < n; f++) {
            if (numbers[f] != null) {
                numbers[f] = java.util.Arrays.copyOf(numbers[f], rows);
            } else {
                codes[f] = java.util.Arrays.copyOf(codes[f], rows);
            }
        }
        int threads = Runtime.getRuntime().availableProcessors();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
        try {
            long t1 = System.nanoTime();
            CurrentWindow window = new CurrentWindow(profile, CurrentWindow.DEFAULT_SAMPLE_CAP, 1);
            List<java.util.concurrent.Future<?>> added = new java.util.ArrayList<>();
            for (int f = 0; f < n; f++) {
                int column = f;
                String name = features.get(f).name();
                added.add(pool.submit(() -> {
                    if (numbers[column] != null) {
                        window.addNumbers(name, numbers[column]);
                    } else {
                        window.addCodes(name, codes[column], dictionaries.get(column).keySet().toArray(new String[0]));
                    }
                }));
            }
            for (java.util.concurrent.Future<?> future : added) {
                future.get();
            }
            window.rows(rows, "memory");
            double counted = (System.nanoTime() - t1) / 1e9;
            DriftReport report = DriftAnalyzer.analyze(window, DriftSettings.defaults(), "bench", 1, null, null, Instant.now());
            double s = (System.nanoTime() - t1) / 1e9;
            System.out.printf(Locale.ROOT, "java in-memory: load %.2f s (not timed); analysis of %d rows in %.3f s (%.0f rows/s; counting %.3f s, tests %.3f s, %d threads); drifted %d of %d%n",
                    load, rows, s, rows / s, counted, s - counted, threads, report.driftedFeatures(), report.evaluatedFeatures());
            if (reportDir != null) {
                DriftReports.write(report, reportDir);
            }
        } catch (InterruptedException | java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e);
        } finally {
            pool.shutdown();
        }
    }
}
