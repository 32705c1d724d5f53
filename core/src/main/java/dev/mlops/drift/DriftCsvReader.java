package dev.mlops.drift;

import dev.mlops.error.InvalidInputException;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A streaming RFC 4180 CSV reader tuned for drift: records without quotes are split in place in a
 * 1 MiB read buffer (no copy, no String); a record with a quote takes a byte-by-byte path that
 * unescapes {@code ""} and keeps embedded newlines. LF or CRLF line ends, UTF-8 with an optional BOM,
 * blank lines skipped. After {@link #next()} the fields are {@code bytes()[start(i), end(i))}.
 */
final class DriftCsvReader implements Closeable {
    private final InputStream in;
    private final String file;
    private byte[] buf = new byte[1 << 20];
    private int pos;
    private int limit;
    private boolean eof;

    private byte[] scratch = new byte[256];
    private byte[] row;
    private int[] starts = new int[32];
    private int[] ends = new int[32];
    private int fields;
    private long line;

    DriftCsvReader(Path path) {
        this.file = path.toString();
        try {
            this.in = Files.newInputStream(path);
        } catch (NoSuchFileException e) {
            throw new InvalidInputException("file " + file + " does not exist; check the path");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open " + file + ": " + e.getMessage(), e);
        }
        fill();
        if (limit >= 3 && (buf[0] & 0xff) == 0xEF && (buf[1] & 0xff) == 0xBB && (buf[2] & 0xff) == 0xBF) {
            pos = 3;
        }
    }

    String file() {
        return file;
    }

    long line() {
        return line;
    }

    int fields() {
        return fields;
    }

    byte[] bytes() {
        return row;
    }

    int start(int field) {
        return starts[field];
    }

    int end(int field) {
        return ends[field];
    }

    String string(int field) {
        return new String(row, starts[field], ends[field] - starts[field], StandardCharsets.UTF_8);
    }

    List<String> strings() {
        List<String> out = new ArrayList<>(fields);
        for (int i = 0; i < fields; i++) {
            out.add(string(i));
        }
        return out;
    }

    /** Reads the next non-blank record; false at the end of the file. */
    boolean next() {
        while (true) {
            if (!readRecord()) {
                return false;
            }
            if (fields > 1 || ends[0] > starts[0]) {
                return true;
            }
        }
    }

    private boolean readRecord() {
        while (true) {
            if (pos >= limit) {
                if (eof) {
                    return false;
                }
                compactAndFill();
                continue;
            }
            line++;
            fields = 0;
            int fieldStart = pos;
            int i = pos;
            boolean complete = false;
            boolean quoted = false;
            byte[] b = buf;
            int lim = limit;
            while (i < lim) {
                byte c = b[i];
                if (c == ',') {
                    addField(fieldStart, i);
                    fieldStart = i + 1;
                } else if (c == '\n') {
                    int end = i > fieldStart && b[i - 1] == '\r' ? i - 1 : i;
                    addField(fieldStart, end);
                    complete = true;
                    break;
                } else if (c == '"') {
                    quoted = true;
                    break;
                }
                i++;
            }
            if (quoted) {
                line--;
                return readQuotedRecord();
            }
            if (!complete) {
                if (!eof) {
                    line--;
                    compactAndFill();
                    continue;
                }
                int end = i > fieldStart && b[i - 1] == '\r' ? i - 1 : i;
                addField(fieldStart, end);
            }
            row = buf;
            pos = i + 1;
            return true;
        }
    }

    /** The slow path: the record (from {@code pos}) holds a quote; copy it unescaped into {@code scratch}. */
    private boolean readQuotedRecord() {
        line++;
        long firstLine = line;
        fields = 0;
        int len = 0;
        int fieldStart = 0;
        boolean inQuotes = false;
        boolean fieldQuoted = false;
        int c = read();
        while (true) {
            if (inQuotes) {
                if (c < 0) {
                    throw new InvalidInputException(file + " line " + firstLine + ": unterminated quoted field; close the quote with \"");
                }
                if (c == '"') {
                    int nc = read();
                    if (nc == '"') {
                        len = put(len, (byte) '"');
                    } else {
                        inQuotes = false;
                        c = nc;
                        continue;
                    }
                } else {
                    if (c == '\n') {
                        line++;
                    }
                    len = put(len, (byte) c);
                }
                c = read();
                continue;
            }
            if (c < 0 || c == '\n') {
                int end = len > fieldStart && scratch[len - 1] == '\r' && !fieldQuoted ? len - 1 : len;
                addField(fieldStart, end);
                row = scratch;
                return true;
            }
            if (c == ',') {
                addField(fieldStart, len);
                fieldStart = len;
                fieldQuoted = false;
            } else if (c == '"' && len == fieldStart && !fieldQuoted) {
                inQuotes = true;
                fieldQuoted = true;
            } else if (!(c == '\r' && fieldQuoted)) {
                len = put(len, (byte) c);
            }
            c = read();
        }
    }

    private int put(int len, byte value) {
        if (len == scratch.length) {
            scratch = Arrays.copyOf(scratch, len * 2);
        }
        scratch[len] = value;
        return len + 1;
    }

    private int read() {
        if (pos >= limit) {
            if (eof) {
                return -1;
            }
            compactAndFill();
            if (pos >= limit) {
                return -1;
            }
        }
        return buf[pos++] & 0xff;
    }

    private void addField(int start, int end) {
        if (fields == starts.length) {
            starts = Arrays.copyOf(starts, fields * 2);
            ends = Arrays.copyOf(ends, fields * 2);
        }
        starts[fields] = start;
        ends[fields] = end;
        fields++;
    }

    /** Keeps the unread tail at the front of the buffer (growing it when a record outgrows it) and reads more. */
    private void compactAndFill() {
        int tail = limit - pos;
        if (pos == 0 && tail == buf.length) {
            buf = Arrays.copyOf(buf, buf.length * 2);
        } else {
            System.arraycopy(buf, pos, buf, 0, tail);
        }
        pos = 0;
        limit = tail;
        fill();
    }

    private void fill() {
        try {
            while (limit < buf.length) {
                int n = in.read(buf, limit, buf.length - limit);
                if (n < 0) {
                    eof = true;
                    return;
                }
                limit += n;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            in.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close " + file + ": " + e.getMessage(), e);
        }
    }
}
