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
     * As {@link #csv(CurrentWindow, Path, long)}. Without a row limit, {@code threads} threads each read their own byte
     * ranges of the file into partial windows, merged at the end (exactly the counts of one thread); a file with
     * quotes, or a row limit, is read by one thread with the quote-aware reader.
     */
    public static void csv(CurrentWindow window, Path csv, long maxRows, int threads) {
        csv(window, csv, maxRows, threads, ChunkedCsv.CHUNK);
    }

    /** As {@link #csv(CurrentWindow, Path, long, int)} with byte ranges of {@code chunkBytes} (tests use small ones). */
    static void csv(CurrentWindow window, Path csv, long maxRows, int threads, int chunkBytes) {
        if (maxRows <= 0 && Files.isRegularFile(csv)) {
            try (java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(csv, java.nio.file.StandardOpenOption.READ)) {
                ChunkedCsv.Header header = channel.size() == 0 ? null : ChunkedCsv.header(channel);
                if (header != null) {
                    Columns matched = match(window, header.names());
                    int[] fieldColumn = new int[header.names().size()];
                    java.util.Arrays.fill(fieldColumn, -1);
                    for (int k = 0; k < matched.at.length; k++) {
                        fieldColumn[matched.at[k]] = k;
                    }
                    try {
                        long rows = ChunkedCsv.read(csv, channel, header.dataStart(), matched.columns, fieldColumn,
                                Math.max(1, threads), chunkBytes);
                        window.absentFeatures.addAll(matched.absent);
                        window.rows += rows;
                        window.source = csv.toString();
                        return;
                    } catch (ChunkedCsv.Quoted quoted) {
                        // nothing was merged into the window; read it again with the quote-aware reader
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + csv + ": " + e.getMessage(), e);
            }
        }
        try (DriftCsvReader reader = new DriftCsvReader(csv)) {
            if (!reader.next()) {
                throw new InvalidInputException("current: " + csv + " is empty; pass a CSV with a header row and data rows");
            }
            Columns matched = match(window, reader.strings());
            window.absentFeatures.addAll(matched.absent);
            window.rows += sequential(reader, matched.columns, matched.at, maxRows);
            window.source = csv.toString();
        }
    }

    /** The window's columns present in the header, the header position of each, and the absent features. */
    private record Columns(CurrentColumn[] columns, int[] at, List<String> absent) {
    }

    private static Columns match(CurrentWindow window, List<String> header) {
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < header.size(); i++) {
            index.putIfAbsent(header.get(i).trim(), i);
        }
        List<CurrentColumn> present = new ArrayList<>();
        List<Integer> positions = new ArrayList<>();
        List<String> absent = new ArrayList<>();
        for (CurrentColumn c : window.features) {
            Integer i = index.get(c.reference.name());
            if (i == null) {
                absent.add(c.reference.name());
            } else {
                present.add(c);
                positions.add(i);
            }
        }
        if (window.prediction != null && index.containsKey(DriftReport.PREDICTION)) {
            present.add(window.prediction);
            positions.add(index.get(DriftReport.PREDICTION));
        }
        return new Columns(present.toArray(new CurrentColumn[0]), positions.stream().mapToInt(Integer::intValue).toArray(), absent);
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
