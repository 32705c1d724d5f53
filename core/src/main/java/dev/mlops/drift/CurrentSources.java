package dev.mlops.drift;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.mlops.error.InvalidInputException;
import dev.mlops.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** Fills a {@link CurrentWindow} from a CSV file or from the model server's inference logs, streaming. */
public final class CurrentSources {
    private static final Pattern LOG_FILE = Pattern.compile("inference-(\\d{6,})\\.jsonl");

    private CurrentSources() {
    }

    /**
     * Which logged records to read. Null fields do not filter.
     *
     * @param since   first instant (inclusive)
     * @param until   last instant (exclusive)
     * @param model   only records of this model name
     * @param version only records of this version
     * @param maxRows stop after this many rows (0 = no limit)
     */
    public record LogFilter(Instant since, Instant until, String model, Integer version, long maxRows) {
    }

    /** Reads every row of {@code csv} (up to {@code maxRows} when positive); columns are matched to features by name. */
    public static void csv(CurrentWindow window, Path csv, long maxRows) {
        csv(window, csv, maxRows, Math.min(Runtime.getRuntime().availableProcessors(), 8));
    }

    /**
     * As {@link #csv(CurrentWindow, Path, long)}; with {@code threads} &gt; 1 this thread splits records and copies
     * the needed cells into batches while {@code threads - 1} workers parse and count them into their own
     * partial windows, merged at the end (the same counts; the samples are uniform either way).
     */
    public static void csv(CurrentWindow window, Path csv, long maxRows, int threads) {
        try (DriftCsvReader reader = new DriftCsvReader(csv)) {
            if (!reader.next()) {
                throw new InvalidInputException("current: " + csv + " is empty; pass a CSV with a header row and data rows");
            }
            List<String> header = reader.strings();
            Map<String, Integer> index = new HashMap<>();
            for (int i = 0; i < header.size(); i++) {
                index.putIfAbsent(header.get(i).trim(), i);
            }
            List<CurrentColumn> present = new ArrayList<>();
            List<Integer> positions = new ArrayList<>();
            for (CurrentColumn c : window.features) {
                Integer i = index.get(c.reference.name());
                if (i == null) {
                    window.absentFeatures.add(c.reference.name());
                } else {
                    present.add(c);
                    positions.add(i);
                }
            }
            if (window.prediction != null && index.containsKey(DriftReport.PREDICTION)) {
                present.add(window.prediction);
                positions.add(index.get(DriftReport.PREDICTION));
            }
            CurrentColumn[] columns = present.toArray(new CurrentColumn[0]);
            int[] at = positions.stream().mapToInt(Integer::intValue).toArray();
            long rows = threads > 1 && maxRows <= 0 ? parallel(window, reader, columns, at, threads)
                    : sequential(reader, columns, at, maxRows);
            window.rows += rows;
            window.source = csv.toString();
        }
    }

    private static long sequential(DriftCsvReader reader, CurrentColumn[] columns, int[] at, long maxRows) {
        long rows = 0;
        while ((maxRows <= 0 || rows < maxRows) && reader.next()) {
            rows++;
            byte[] b = reader.bytes();
            int fields = reader.fields();
            for (int k = 0; k < columns.length; k++) {
                int c = at[k];
                if (c < fields) {
                    columns[k].cell(b, reader.start(c), reader.end(c));
                } else {
                    columns[k].missing();
                }
            }
        }
        return rows;
    }

    /** Cells of up to {@value #BATCH_ROWS} records, copied out of the reader's buffer. */
    private static final class Batch {
        static final Batch END = new Batch(0, 0);
        byte[] data;
        final int[] starts;
        final int[] ends;
        int length;
        int records;

        Batch(int rows, int columns) {
            data = new byte[Math.max(rows * columns * 12, 16)];
            starts = new int[rows * columns];
            ends = new int[rows * columns];
        }
    }

    private static final int BATCH_ROWS = 4096;

    private static long parallel(CurrentWindow window, DriftCsvReader reader, CurrentColumn[] columns, int[] at, int threads) {
        int workers = threads - 1;
        int width = columns.length;
        java.util.concurrent.BlockingQueue<Batch> full = new java.util.concurrent.ArrayBlockingQueue<>(workers * 2 + 2);
        java.util.concurrent.BlockingQueue<Batch> free = new java.util.concurrent.ArrayBlockingQueue<>(workers * 2 + 4);
        for (int i = 0; i < workers * 2 + 4; i++) {
            free.add(new Batch(BATCH_ROWS, width));
        }
        java.util.concurrent.atomic.AtomicReference<Throwable> failure = new java.util.concurrent.atomic.AtomicReference<>();
        CurrentColumn[][] parts = new CurrentColumn[workers][];
        List<Thread> started = new ArrayList<>();
        for (int w = 0; w < workers; w++) {
            CurrentColumn[] part = new CurrentColumn[width];
            for (int k = 0; k < width; k++) {
                part[k] = new CurrentColumn(columns[k].reference, window.sampleCap, window.seed + 7919L * (w + 1) + k);
            }
            parts[w] = part;
            Thread t = new Thread(() -> {
                try {
                    while (true) {
                        Batch batch = full.take();
                        if (batch == Batch.END) {
                            return;
                        }
                        int cell = 0;
                        for (int r = 0; r < batch.records; r++) {
                            for (int k = 0; k < width; k++, cell++) {
                                if (batch.starts[cell] < 0) {
                                    part[k].missing();
                                } else {
                                    part[k].cell(batch.data, batch.starts[cell], batch.ends[cell]);
                                }
                            }
                        }
                        free.put(batch);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (RuntimeException | Error e) {
                    failure.compareAndSet(null, e);
                }
            }, "mlops-drift-csv-" + w);
            t.setDaemon(true);
            t.start();
            started.add(t);
        }
        long rows = 0;
        try {
            Batch batch = free.take();
            while (reader.next()) {
                if (failure.get() != null) {
                    break;
                }
                rows++;
                byte[] b = reader.bytes();
                int fields = reader.fields();
                int cell = batch.records * width;
                for (int k = 0; k < width; k++, cell++) {
                    int c = at[k];
                    if (c >= fields) {
                        batch.starts[cell] = -1;
                        continue;
                    }
                    int s = reader.start(c);
                    int n = reader.end(c) - s;
                    if (batch.length + n > batch.data.length) {
                        batch.data = java.util.Arrays.copyOf(batch.data, Math.max(batch.data.length * 2, batch.length + n));
                    }
                    System.arraycopy(b, s, batch.data, batch.length, n);
                    batch.starts[cell] = batch.length;
                    batch.length += n;
                    batch.ends[cell] = batch.length;
                }
                if (++batch.records == BATCH_ROWS) {
                    full.put(batch);
                    batch = free.take();
                    batch.records = 0;
                    batch.length = 0;
                }
            }
            if (batch.records > 0) {
                full.put(batch);
            }
            for (int w = 0; w < workers; w++) {
                full.put(Batch.END);
            }
            for (Thread t : started) {
                t.join();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            started.forEach(Thread::interrupt);
            throw new IllegalStateException("interrupted while reading " + reader.file(), e);
        } finally {
            started.forEach(t -> {
                if (t.isAlive()) {
                    t.interrupt();
                }
            });
        }
        Throwable failed = failure.get();
        if (failed instanceof RuntimeException r) {
            throw r;
        }
        if (failed instanceof Error e) {
            throw e;
        }
        for (CurrentColumn[] part : parts) {
            for (int k = 0; k < width; k++) {
                columns[k].merge(part[k]);
            }
        }
        return rows;
    }

    /** The log files of {@code dir} in write order. */
    public static List<Path> logFiles(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new InvalidInputException("current: " + dir + " is not a folder or a CSV file; pass the server's --log-dir or a CSV");
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> LOG_FILE.matcher(p.getFileName().toString()).matches())
                    .sorted((a, b) -> Long.compare(logIndex(a), logIndex(b))).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir + ": " + e.getMessage(), e);
        }
    }

    private static long logIndex(Path file) {
        var m = LOG_FILE.matcher(file.getFileName().toString());
        return m.matches() ? Long.parseLong(m.group(1)) : -1;
    }

    /**
     * Reads logged requests (schema of {@code dev.mlops.serve.InferenceLog}): each input row is one row, its
     * values the features in the model's order; outputs give the prediction. Damaged lines (a crash mid-write)
     * and rows of the wrong width are skipped and counted, never fatal.
     */
    public static void logs(CurrentWindow window, Path dir, LogFilter filter) {
        List<Path> files = logFiles(dir);
        if (files.isEmpty()) {
            throw new InvalidInputException("current: " + dir + " holds no inference-NNNNNN.jsonl files; start the server with --log-dir "
                    + dir + " and send traffic, or pass a CSV");
        }
        JsonFactory factory = Json.mapper().getFactory();
        long[] rows = {0};
        for (Path file : files) {
            if (filter.maxRows() > 0 && rows[0] >= filter.maxRows()) {
                break;
            }
            try (InputStream in = Files.newInputStream(file);
                 java.io.BufferedReader lines = new java.io.BufferedReader(new java.io.InputStreamReader(in, java.nio.charset.StandardCharsets.UTF_8), 1 << 16)) {
                String line;
                while ((line = lines.readLine()) != null && (filter.maxRows() <= 0 || rows[0] < filter.maxRows())) {
                    if (line.isBlank()) {
                        continue;
                    }
                    try (JsonParser parser = factory.createParser(line)) {
                        record(window, parser, filter, rows);
                    } catch (IOException | RuntimeException damaged) {
                        window.skippedRecords++;
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
            }
        }
        window.rows += rows[0];
        window.source = dir.toString();
        if (window.skippedRecords > 0) {
            window.notes.add(window.skippedRecords + " logged records were skipped (damaged lines or rows whose width differs from the "
                    + window.features.length + " features of the profile)");
        }
    }

    private static void record(CurrentWindow window, JsonParser p, LogFilter filter, long[] rows) throws IOException {
        if (p.nextToken() != JsonToken.START_OBJECT) {
            throw new IOException("not an object");
        }
        Instant ts = null;
        String model = null;
        Integer version = null;
        List<double[]> inputs = null;
        List<double[]> outputs = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken value = p.nextToken();
            switch (field) {
                case "ts" -> {
                    try {
                        ts = Instant.parse(p.getText());
                    } catch (DateTimeParseException e) {
                        throw new IOException("bad ts");
                    }
                }
                case "model" -> model = p.getText();
                case "version" -> version = p.getIntValue();
                case "inputs" -> inputs = matrix(p, value);
                case "outputs" -> outputs = matrix(p, value);
                default -> p.skipChildren();
            }
        }
        if (filter.since() != null && (ts == null || ts.isBefore(filter.since()))
                || filter.until() != null && (ts == null || !ts.isBefore(filter.until()))
                || filter.model() != null && !filter.model().equals(model)
                || filter.version() != null && !filter.version().equals(version)
                || inputs == null) {
            return;
        }
        int width = window.features.length;
        List<String> classes = window.reference.classes();
        for (int r = 0; r < inputs.size(); r++) {
            if (filter.maxRows() > 0 && rows[0] >= filter.maxRows()) {
                return;
            }
            double[] row = inputs.get(r);
            if (row.length != width) {
                window.skippedRecords++;
                continue;
            }
            rows[0]++;
            for (int f = 0; f < width; f++) {
                window.features[f].number(row[f]);
            }
            if (window.prediction != null && outputs != null && r < outputs.size() && outputs.get(r).length > 0) {
                double[] out = outputs.get(r);
                if (window.prediction.isNumeric()) {
                    window.prediction.number(out[0]);
                } else if (classes != null && out.length == classes.size()) {
                    window.prediction.category(classes.get(ReferenceProfiler.argmax(out)));
                }
            }
        }
    }

    private static List<double[]> matrix(JsonParser p, JsonToken start) throws IOException {
        if (start != JsonToken.START_ARRAY) {
            p.skipChildren();
            return null;
        }
        List<double[]> rows = new ArrayList<>();
        double[] buffer = new double[16];
        while (p.nextToken() == JsonToken.START_ARRAY) {
            int n = 0;
            JsonToken t;
            while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
                if (n == buffer.length) {
                    buffer = java.util.Arrays.copyOf(buffer, n * 2);
                }
                buffer[n++] = t == JsonToken.VALUE_NULL ? Double.NaN : p.getDoubleValue();
            }
            rows.add(java.util.Arrays.copyOf(buffer, n));
        }
        return rows;
    }
}
