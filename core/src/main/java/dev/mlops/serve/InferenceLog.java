package dev.mlops.serve;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Writes sampled {@link InferenceRecord}s as JSON lines for later drift analysis. Requests never wait:
 * {@link #offer} puts the record on a bounded queue and, when it is full, drops it and counts the
 * drop. One background thread formats and writes; it flushes every 200 ms under load and within
 * 50 ms when idle, rotates
 * to {@code inference-NNNNNN.jsonl} files of at most {@link LogSettings#maxFileBytes()} and deletes
 * the oldest beyond {@link LogSettings#keepFiles()}. {@link #close()} writes what is queued and flushes.
 *
 * <p>Line format (keys in this order; see docs/serving.md):
 * <pre>{"ts":"2025-01-01T00:00:00.123Z","model":"churn","version":3,"id":"r-1","route":"primary","selector":"weight",
 *  "latency_ms":0.41,"rows":2,"inputs":[[0.1,2.0],[0.3,1.0]],"outputs":[[0.2,0.8],[0.6,0.4]]}</pre>
 * A record cut to fit {@link LogSettings#maxRecordBytes()} adds {@code "inputs_truncated":true,"inputs_rows_logged":k}
 * (and the same for outputs if they alone are too big). A failed shadow scoring has {@code "error"} instead of outputs.
 */
public final class InferenceLog implements AutoCloseable {
    static final String PREFIX = "inference-";
    static final String SUFFIX = ".jsonl";
    private static final Pattern FILE = Pattern.compile("inference-(\\d{6,})\\.jsonl");
    private static final int MAX_ID_CHARS = 128;
    /** Room for the closing brace and the truncation markers. */
    private static final int RESERVED = 160;
    private static final long GOLDEN = 0x9E3779B97F4A7C15L;
    /** Under load, buffered records reach the file at least this often; when idle, within the 50 ms poll. */
    private static final long FLUSH_INTERVAL_NANOS = 200_000_000L;

    private final LogSettings settings;
    private final Consumer<String> events;
    private final BlockingQueue<InferenceRecord> queue;
    private final AtomicLong draws = new AtomicLong();
    private final LongAdder dropped = new LongAdder();
    private final LongAdder written = new LongAdder();
    private final LongAdder truncated = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final Thread writer;
    private volatile boolean closing;

    private OutputStream out;
    private long fileBytes;
    private long nextIndex;
    private long lastFlush = System.nanoTime();

    private InferenceLog(LogSettings settings, Consumer<String> events) {
        this.settings = settings;
        this.events = events;
        this.queue = new ArrayBlockingQueue<>(settings.queueCapacity());
        try {
            Files.createDirectories(settings.dir());
        } catch (IOException e) {
            throw new dev.mlops.error.InvalidInputException("log.dir: cannot create " + settings.dir() + " (" + e.getMessage()
                    + "); pick a writable folder with --log-dir");
        }
        this.nextIndex = files(settings.dir()).stream().mapToLong(InferenceLog::indexOf).max().orElse(0) + 1;
        this.writer = new Thread(this::drain, "mlops-serve-log-writer");
        writer.setDaemon(true);
        writer.start();
    }

    /** Opens the log and starts its writer thread. */
    public static InferenceLog open(LogSettings settings, Consumer<String> events) {
        return new InferenceLog(settings, events);
    }

    public LogSettings settings() {
        return settings;
    }

    /** The seeded sampling decision for the next request. */
    public boolean sample() {
        double rate = settings.sampleRate();
        if (rate >= 1) {
            return true;
        }
        if (rate <= 0) {
            return false;
        }
        long draw = TrafficRouter.splitmix64(settings.seed() + draws.getAndIncrement() * GOLDEN);
        return (draw >>> 11) * 0x1.0p-53 < rate;
    }

    /** Queues a record without blocking; returns false (and counts a drop) when the queue is full or the log is closed. */
    public boolean offer(InferenceRecord record) {
        if (closing || !queue.offer(record)) {
            dropped.increment();
            return false;
        }
        return true;
    }

    public long dropped() {
        return dropped.sum();
    }

    public long written() {
        return written.sum();
    }

    public long truncated() {
        return truncated.sum();
    }

    public long failed() {
        return failed.sum();
    }

    /** The log files, oldest first. */
    public static List<Path> files(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> list = Files.list(dir)) {
            return list.filter(p -> FILE.matcher(p.getFileName().toString()).matches())
                    .sorted((a, b) -> Long.compare(indexOf(a), indexOf(b))).toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    private static long indexOf(Path file) {
        Matcher m = FILE.matcher(file.getFileName().toString());
        return m.matches() ? Long.parseLong(m.group(1)) : -1;
    }

    private void drain() {
        while (true) {
            InferenceRecord record;
            try {
                record = queue.poll(50, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                record = null;
                closing = true;
            }
            if (record == null) {
                flush();
                if (closing && queue.isEmpty()) {
                    break;
                }
                continue;
            }
            write(record);
            if (System.nanoTime() - lastFlush > FLUSH_INTERVAL_NANOS) {
                flush();
            }
        }
        closeFile();
    }

    private void write(InferenceRecord record) {
        Formatted formatted = format(record, settings.maxRecordBytes());
        byte[] line = formatted.line();
        if (formatted.truncated()) {
            truncated.increment();
        }
        try {
            if (out != null && fileBytes + line.length > settings.maxFileBytes()) {
                closeFile();
            }
            if (out == null) {
                openNext();
            }
            out.write(line);
            fileBytes += line.length;
            written.increment();
        } catch (IOException e) {
            failed.increment();
            if (failed.sum() == 1) {
                events.accept("inference log: cannot write to " + settings.dir() + " (" + e.getMessage() + "); records are being dropped");
            }
            closeFile();
        }
    }

    private void openNext() throws IOException {
        Path file = settings.dir().resolve(String.format("%s%06d%s", PREFIX, nextIndex++, SUFFIX));
        out = new BufferedOutputStream(Files.newOutputStream(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), 1 << 16);
        fileBytes = 0;
        List<Path> all = files(settings.dir());
        for (int i = 0; i < all.size() - settings.keepFiles(); i++) {
            Files.deleteIfExists(all.get(i));
        }
    }

    private void flush() {
        lastFlush = System.nanoTime();
        if (out != null) {
            try {
                out.flush();
            } catch (IOException e) {
                failed.increment();
                closeFile();
            }
        }
    }

    private void closeFile() {
        if (out != null) {
            try {
                out.close();
            } catch (IOException e) {
                failed.increment();
            }
            out = null;
        }
    }

    /** Stops taking records, writes the queued ones, flushes and closes the file (waits up to 10 s). */
    @Override
    public void close() {
        closing = true;
        try {
            writer.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ------------------------------------------------------------------ format

    /** One formatted record: a JSON line (ASCII, ends with a line feed) and whether rows were cut to fit. */
    record Formatted(byte[] line, boolean truncated) {
    }

    /** Formats a record as one JSON line of at most {@code maxBytes} bytes. */
    static Formatted format(InferenceRecord r, int maxBytes) {
        StringBuilder head = new StringBuilder(256);
        head.append("{\"ts\":\"").append(formatInstant(r.timestamp())).append('"');
        head.append(",\"model\":");
        string(head, r.model(), MAX_ID_CHARS);
        head.append(",\"version\":").append(r.version());
        head.append(",\"id\":");
        string(head, r.id(), MAX_ID_CHARS);
        head.append(",\"route\":");
        string(head, r.route(), 32);
        head.append(",\"selector\":");
        string(head, r.selector(), 32);
        head.append(",\"latency_ms\":").append(Math.round(r.latencyMillis() * 1000) / 1000.0);
        int rows = r.inputs() == null ? 0 : r.inputs().length;
        head.append(",\"rows\":").append(rows);
        if (r.error() != null) {
            head.append(",\"error\":");
            string(head, r.error(), 200);
        }

        List<String> inputRows = new ArrayList<>(rows);
        long inputChars = 0;
        for (int i = 0; i < rows; i++) {
            String row = floats(r.inputs()[i]);
            inputRows.add(row);
            inputChars += row.length() + 1;
            if (inputChars > maxBytes) {
                break;
            }
        }
        List<String> outputRows = new ArrayList<>();
        long outputChars = 0;
        if (r.outputs() != null) {
            for (double[] output : r.outputs()) {
                String row = doubles(output);
                outputRows.add(row);
                outputChars += row.length() + 1;
                if (outputChars > maxBytes) {
                    break;
                }
            }
        }
        long budget = (long) maxBytes - head.length() - RESERVED - ",\"inputs\":[]".length() - ",\"outputs\":[]".length();
        long outputBudget;
        long inputBudget;
        if (inputChars + outputChars <= budget) {
            inputBudget = inputChars;
            outputBudget = outputChars;
        } else if (outputChars <= budget / 2) {
            outputBudget = outputChars;
            inputBudget = budget - outputChars;
        } else if (inputChars <= budget / 2) {
            inputBudget = inputChars;
            outputBudget = budget - inputChars;
        } else {
            inputBudget = budget / 2;
            outputBudget = budget - inputBudget;
        }
        StringBuilder line = head;
        boolean cut = false;
        line.append(",\"inputs\":[");
        int inputsLogged = appendRows(line, inputRows, inputBudget);
        line.append(']');
        if (r.outputs() != null) {
            line.append(",\"outputs\":[");
            int outputsLogged = appendRows(line, outputRows, outputBudget);
            line.append(']');
            if (outputsLogged < r.outputs().length) {
                line.append(",\"outputs_truncated\":true,\"outputs_rows_logged\":").append(outputsLogged);
                cut = true;
            }
        }
        if (inputsLogged < rows) {
            line.append(",\"inputs_truncated\":true,\"inputs_rows_logged\":").append(inputsLogged);
            cut = true;
        }
        line.append("}\n");
        return new Formatted(line.toString().getBytes(StandardCharsets.US_ASCII), cut);
    }

    private static int appendRows(StringBuilder line, List<String> rows, long budget) {
        long used = 0;
        int logged = 0;
        for (String row : rows) {
            if (used + row.length() + 1 > budget) {
                break;
            }
            if (logged > 0) {
                line.append(',');
            }
            line.append(row);
            used += row.length() + 1;
            logged++;
        }
        return logged;
    }

    private static String floats(float[] row) {
        StringBuilder b = new StringBuilder(row.length * 10 + 2).append('[');
        for (int i = 0; i < row.length; i++) {
            if (i > 0) {
                b.append(',');
            }
            float v = row[i];
            if (Float.isFinite(v)) {
                b.append(v);
            } else {
                b.append("null");
            }
        }
        return b.append(']').toString();
    }

    private static String doubles(double[] row) {
        StringBuilder b = new StringBuilder(row.length * 20 + 2).append('[');
        for (int i = 0; i < row.length; i++) {
            if (i > 0) {
                b.append(',');
            }
            double v = row[i];
            if (Double.isFinite(v)) {
                b.append(v);
            } else {
                b.append("null");
            }
        }
        return b.append(']').toString();
    }

    private static String formatInstant(Instant instant) {
        return instant.toString();
    }

    /** A JSON string, non-ASCII escaped as {@code \\uXXXX} (so characters equal bytes), cut to {@code maxChars}. */
    static void string(StringBuilder out, String value, int maxChars) {
        if (value == null) {
            out.append("null");
            return;
        }
        out.append('"');
        int n = Math.min(value.length(), maxChars);
        for (int i = 0; i < n; i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20 || c > 0x7e) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
