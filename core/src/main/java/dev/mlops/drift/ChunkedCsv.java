package dev.mlops.drift;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Reads an unquoted CSV in parallel: the data is cut into byte ranges, each thread takes the next range, reads it
 * (positional reads, no shared stream), starts at the first record that begins inside it, and counts its records
 * into its own partial columns, merged at the end (counts and sums are exact under merging). Plain decimals are
 * parsed straight from the bytes where the result is exact in one rounding (mantissa &lt; 2^53, at most 22
 * fraction digits), every other cell goes through {@link CurrentColumn#cell}. A quote anywhere makes it give up
 * ({@link Quoted}) so the caller reads the file with the quote-aware {@link DriftCsvReader} instead.
 */
final class ChunkedCsv {
    static final int CHUNK = 8 << 20;
    private static final double[] POW10 = new double[23];
    private static final long EXACT_MANTISSA = 1L << 53;

    static {
        double p = 1;
        for (int i = 0; i < POW10.length; i++) {
            POW10[i] = p;
            p *= 10;
        }
    }

    /** The file holds a quote; nothing was counted into the caller's columns. */
    static final class Quoted extends RuntimeException {
        Quoted() {
            super("quoted CSV field", null, false, false);
        }
    }

    /** The header: its field names, and where the data starts. */
    record Header(List<String> names, long dataStart) {
    }

    private ChunkedCsv() {
    }

    /** The header line, or null when it holds a quote (or is longer than 1 MiB) and needs the quote-aware reader. */
    static Header header(FileChannel channel) throws IOException {
        byte[] head = new byte[(int) Math.min(channel.size(), 1 << 20)];
        int n = readFully(channel, 0, head, 0, head.length);
        int start = n >= 3 && (head[0] & 0xff) == 0xEF && (head[1] & 0xff) == 0xBB && (head[2] & 0xff) == 0xBF ? 3 : 0;
        int end = start;
        while (end < n && head[end] != '\n') {
            if (head[end] == '"') {
                return null;
            }
            end++;
        }
        if (end == n && n < channel.size()) {
            return null;
        }
        int lineEnd = end > start && head[end - 1] == '\r' ? end - 1 : end;
        List<String> names = new ArrayList<>();
        int fieldStart = start;
        for (int i = start; i <= lineEnd; i++) {
            if (i == lineEnd || head[i] == ',') {
                names.add(new String(head, fieldStart, i - fieldStart, StandardCharsets.UTF_8));
                fieldStart = i + 1;
            }
        }
        return new Header(names, Math.min(end + 1, channel.size()));
    }

    /**
     * Counts every data record into {@code columns} ({@code fieldColumn[f]} = index into columns of CSV field f, or
     * -1), reading ranges of {@code chunkBytes}. Returns the number of records.
     */
    static long read(Path file, FileChannel channel, long dataStart, CurrentColumn[] columns, int[] fieldColumn, int threads,
                     int chunkBytes) throws IOException {
        long size = channel.size();
        long chunks = Math.max(0, (size - dataStart + chunkBytes - 1) / chunkBytes);
        int workers = (int) Math.max(1, Math.min(threads, chunks));
        AtomicLong nextChunk = new AtomicLong();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        CurrentColumn[][] parts = new CurrentColumn[workers][];
        long[] rows = new long[workers];
        List<Thread> started = new ArrayList<>();
        for (int w = 0; w < workers; w++) {
            CurrentColumn[] part = new CurrentColumn[columns.length];
            for (int k = 0; k < columns.length; k++) {
                part[k] = new CurrentColumn(columns[k]);
            }
            parts[w] = part;
            int worker = w;
            Runnable work = () -> {
                try {
                    Scanner scanner = new Scanner(part, fieldColumn);
                    byte[] buf = new byte[chunkBytes + (1 << 16)];
                    long chunk;
                    while ((chunk = nextChunk.getAndIncrement()) < chunks && failure.get() == null) {
                        long s = dataStart + chunk * chunkBytes;
                        long e = Math.min(s + chunkBytes, size);
                        long from = s == dataStart ? s : s - 1;
                        int len = readFully(channel, from, buf, 0, (int) (e - from));
                        // extend the range to the end of the record that straddles its end
                        while (e < size && buf[len - 1] != '\n') {
                            if (len + (1 << 16) > buf.length) {
                                buf = Arrays.copyOf(buf, buf.length * 2);
                            }
                            int more = readFully(channel, e, buf, len, (int) Math.min(1 << 16, size - e));
                            int newline = len;
                            while (newline < len + more && buf[newline] != '\n') {
                                newline++;
                            }
                            len = newline < len + more ? newline + 1 : len + more;
                            e += more;
                        }
                        int pos = 0;
                        if (s != dataStart) {
                            while (pos < len && buf[pos] != '\n') {
                                pos++;
                            }
                            pos++; // the first record starting at or after s
                        }
                        rows[worker] += scanner.scan(buf, Math.min(pos, len), len);
                    }
                } catch (IOException io) {
                    failure.compareAndSet(null, new UncheckedIOException("cannot read " + file + ": " + io.getMessage(), io));
                } catch (RuntimeException | Error ex) {
                    failure.compareAndSet(null, ex);
                }
            };
            if (w == workers - 1) {
                work.run();
            } else {
                Thread t = new Thread(work, "mlops-drift-csv-" + w);
                t.setDaemon(true);
                t.start();
                started.add(t);
            }
        }
        try {
            for (Thread t : started) {
                t.join();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failure.compareAndSet(null, new IllegalStateException("interrupted while reading " + file, e));
            started.forEach(Thread::interrupt);
        }
        Throwable failed = failure.get();
        if (failed instanceof RuntimeException r) {
            throw r;
        }
        if (failed instanceof Error err) {
            throw err;
        }
        long total = 0;
        for (int w = 0; w < workers; w++) {
            total += rows[w];
            for (int k = 0; k < columns.length; k++) {
                columns[k].merge(parts[w][k]);
            }
        }
        return total;
    }

    private static int readFully(FileChannel channel, long position, byte[] into, int offset, int length) throws IOException {
        ByteBuffer target = ByteBuffer.wrap(into, offset, length);
        while (target.hasRemaining()) {
            int n = channel.read(target, position + target.position() - offset);
            if (n < 0) {
                break;
            }
        }
        return target.position() - offset;
    }

    /** One thread's record scanner over its partial columns. */
    static final class Scanner {
        private final CurrentColumn[] columns;
        private final int[] fieldColumn;
        private final boolean[] numericField;

        Scanner(CurrentColumn[] columns, int[] fieldColumn) {
            this.columns = columns;
            this.fieldColumn = fieldColumn;
            this.numericField = new boolean[fieldColumn.length];
            for (int f = 0; f < fieldColumn.length; f++) {
                numericField[f] = fieldColumn[f] >= 0 && columns[fieldColumn[f]].isNumeric();
            }
        }

        /** Counts the records in b[pos, end) (end is a record end); returns how many. */
        long scan(byte[] b, int pos, int end) {
            long rows = 0;
            int width = fieldColumn.length;
            while (pos < end) {
                byte first = b[pos];
                if (first == '\n') {
                    pos++;
                    continue;
                }
                if (first == '\r' && (pos + 1 == end || b[pos + 1] == '\n')) {
                    pos += 2;
                    continue;
                }
                rows++;
                int field = 0;
                while (true) {
                    int stop = -1;
                    if (field < width && numericField[field]) {
                        stop = fastNumber(b, pos, end, columns[fieldColumn[field]]);
                    }
                    if (stop < 0) {
                        stop = pos;
                        while (stop < end) {
                            byte c = b[stop];
                            if (c == ',' || c == '\n') {
                                break;
                            }
                            if (c == '"') {
                                throw new Quoted();
                            }
                            stop++;
                        }
                        if (field < width && fieldColumn[field] >= 0) {
                            int cellEnd = stop > pos && b[stop - 1] == '\r' && (stop == end || b[stop] == '\n') ? stop - 1 : stop;
                            columns[fieldColumn[field]].cell(b, pos, cellEnd);
                        }
                    }
                    field++;
                    if (stop >= end || b[stop] == '\n') {
                        pos = stop + 1;
                        break;
                    }
                    pos = stop + 1;
                }
                for (; field < width; field++) {
                    if (fieldColumn[field] >= 0) {
                        columns[fieldColumn[field]].missing();
                    }
                }
            }
            return rows;
        }

        /**
         * [-]digits[.digits] ending the field, exact in one rounding: counts it and returns the delimiter's position;
         * -1 for anything else (the caller takes the general path, so the value always equals Double.parseDouble's).
         */
        private static int fastNumber(byte[] b, int pos, int end, CurrentColumn column) {
            int i = pos;
            boolean negative = i < end && b[i] == '-';
            if (negative) {
                i++;
            }
            long mantissa = 0;
            int digitsStart = i;
            int d;
            while (i < end && (d = b[i] - '0') >= 0 && d <= 9) {
                mantissa = mantissa * 10 + d;
                i++;
            }
            int digits = i - digitsStart;
            int fraction = 0;
            if (i < end && b[i] == '.') {
                int fractionStart = ++i;
                while (i < end && (d = b[i] - '0') >= 0 && d <= 9) {
                    mantissa = mantissa * 10 + d;
                    i++;
                }
                fraction = i - fractionStart;
                digits += fraction;
            }
            if (digits == 0 || digits > 18 || mantissa >= EXACT_MANTISSA || fraction >= POW10.length) {
                return -1;
            }
            int stop = i;
            if (i < end) {
                byte t = b[i];
                if (t == '\r') {
                    if (i + 1 < end && b[i + 1] != '\n') {
                        return -1;
                    }
                    stop = i + 1;
                } else if (t != ',' && t != '\n') {
                    return -1;
                }
            }
            double value = fraction == 0 ? mantissa : mantissa / POW10[fraction];
            column.number(negative ? -value : value);
            return stop;
        }
    }
}
