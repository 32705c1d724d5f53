package dev.mlops.evaluate;

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
 * A streaming RFC 4180 CSV reader over raw bytes: comma separated, double-quoted fields with
 * {@code ""} escapes and embedded newlines, LF or CRLF line ends, UTF-8 with an optional BOM.
 * Blank lines are skipped. Cells stay as byte ranges of one reused record buffer, so numeric
 * cells are parsed without creating a String.
 */
final class CsvScanner implements Closeable {
    private static final int BUFFER = 1 << 16;

    private final InputStream in;
    private final String file;
    private final byte[] buf = new byte[BUFFER];
    private int pos;
    private int limit;
    private boolean eof;

    private byte[] rec = new byte[256];
    private int recLen;
    private int[] starts = new int[16];
    private int[] ends = new int[16];
    private int fields;
    private long physicalLine;
    private long recordLine;
    private boolean lastRecordHadQuote;

    CsvScanner(Path path) {
        this.file = path.toString();
        try {
            this.in = Files.newInputStream(path);
        } catch (NoSuchFileException e) {
            throw new InvalidInputException("file " + file + " does not exist; check the path");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open " + file + ": " + e.getMessage(), e);
        }
        skipBom();
    }

    String file() {
        return file;
    }

    /** The 1-based line number where the current record starts. */
    long line() {
        return recordLine;
    }

    int fieldCount() {
        return fields;
    }

    /** Reads the next non-blank record; false at end of file. */
    boolean next() {
        try {
            while (true) {
                if (!readRecord()) {
                    return false;
                }
                if (!(fields == 1 && starts[0] == ends[0] && !lastRecordHadQuote)) {
                    return true;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    List<String> strings() {
        List<String> out = new ArrayList<>(fields);
        for (int i = 0; i < fields; i++) {
            out.add(string(i));
        }
        return out;
    }

    String string(int field) {
        return new String(rec, starts[field], ends[field] - starts[field], StandardCharsets.UTF_8);
    }

    boolean isBlank(int field) {
        for (int i = starts[field]; i < ends[field]; i++) {
            if (rec[i] != ' ' && rec[i] != '\t') {
                return false;
            }
        }
        return true;
    }

    /**
     * The field as a number; NaN and infinities are returned as such so the caller can name them.
     *
     * @throws NumberFormatException when the field is not a decimal number
     */
    double number(int field) {
        return FastNumbers.parse(rec, starts[field], ends[field]);
    }

    private boolean readRecord() throws IOException {
        fields = 0;
        recLen = 0;
        lastRecordHadQuote = false;
        int b = read();
        if (b < 0) {
            return false;
        }
        recordLine = ++physicalLine;
        int fieldStart = 0;
        boolean inQuotes = false;
        boolean fieldQuoted = false;
        while (true) {
            if (inQuotes) {
                if (b < 0) {
                    throw new InvalidInputException(file + " line " + recordLine
                            + ": unterminated quoted field; close the quote with \"");
                }
                if (b == '"') {
                    int nb = read();
                    if (nb == '"') {
                        append((byte) '"');
                    } else {
                        inQuotes = false;
                        b = nb;
                        continue;
                    }
                } else {
                    if (b == '\n') {
                        physicalLine++;
                    }
                    append((byte) b);
                }
                b = read();
                continue;
            }
            if (b < 0 || b == '\n' || b == '\r') {
                if (b == '\r') {
                    int nb = read();
                    if (nb != '\n' && nb >= 0) {
                        pos--;
                    }
                }
                endField(fieldStart);
                return true;
            }
            if (b == ',') {
                endField(fieldStart);
                fieldStart = recLen;
                fieldQuoted = false;
            } else if (b == '"' && recLen == fieldStart && !fieldQuoted) {
                inQuotes = true;
                fieldQuoted = true;
                lastRecordHadQuote = true;
            } else {
                append((byte) b);
            }
            b = read();
        }
    }

    private void endField(int fieldStart) {
        if (fields == starts.length) {
            starts = Arrays.copyOf(starts, fields * 2);
            ends = Arrays.copyOf(ends, fields * 2);
        }
        starts[fields] = fieldStart;
        ends[fields] = recLen;
        fields++;
    }

    private void append(byte b) {
        if (recLen == rec.length) {
            rec = Arrays.copyOf(rec, rec.length * 2);
        }
        rec[recLen++] = b;
    }

    private int read() throws IOException {
        if (pos == limit) {
            if (eof) {
                return -1;
            }
            int n = in.read(buf, 0, buf.length);
            if (n <= 0) {
                eof = true;
                // keep pos == limit so a pushback (pos--) after EOF is never taken
                return -1;
            }
            pos = 0;
            limit = n;
        }
        return buf[pos++] & 0xff;
    }

    private void skipBom() {
        try {
            int n = in.readNBytes(buf, 0, buf.length);
            limit = Math.max(n, 0);
            eof = n < buf.length;
            if (limit >= 3 && (buf[0] & 0xff) == 0xEF && (buf[1] & 0xff) == 0xBB && (buf[2] & 0xff) == 0xBF) {
                pos = 3;
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
