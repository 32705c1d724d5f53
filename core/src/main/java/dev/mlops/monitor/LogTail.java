package dev.mlops.monitor;

import dev.mlops.drift.CurrentSources;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the model server's rotating {@code inference-NNNNNN.jsonl} files from a {@link Position}: only
 * complete lines (ending in a newline) of the newest file, so a line the server is still writing is
 * read on a later poll. A file is finished once a newer one exists (the server closes a file before
 * opening the next), so an unterminated last line of an older file is a crash remnant and is skipped.
 * Files rotated away before they were read are skipped and counted.
 */
final class LogTail {
    private static final int MAX_LINE_BYTES = 16 << 20;

    /** The first unread byte: a file name of the log folder and an offset in it; a null file means "before the oldest file". */
    record Position(String file, long offset) {
        static final Position START = new Position(null, 0);
    }

    /** One complete line and the positions just before and just after it. */
    record Line(String text, Position start, Position end) {
    }

    private final Path dir;
    private Position cursor;
    private long skippedFiles;

    LogTail(Path dir, Position from) {
        this.dir = dir;
        this.cursor = from == null ? Position.START : from;
    }

    Position cursor() {
        return cursor;
    }

    /** Moves the read cursor (back to the last committed position after a failed window). */
    void seek(Position position) {
        cursor = position;
    }

    /** Files that were deleted by rotation before they were read, since this tail was created. */
    long skippedFiles() {
        return skippedFiles;
    }

    /** Up to {@code maxLines} complete lines after the cursor, which moves past them. */
    List<Line> poll(int maxLines) {
        List<Line> lines = new ArrayList<>();
        List<Path> files = Files.isDirectory(dir) ? CurrentSources.logFiles(dir) : List.of();
        int at = indexOf(files);
        while (at < files.size() && lines.size() < maxLines) {
            Path file = files.get(at);
            String name = file.getFileName().toString();
            long offset = name.equals(cursor.file()) ? cursor.offset() : 0;
            boolean newest = at == files.size() - 1;
            boolean complete = read(file, name, offset, maxLines - lines.size(), lines, !newest);
            if (complete && !newest) {
                at++;
                cursor = new Position(files.get(at).getFileName().toString(), 0);
            } else {
                break;
            }
        }
        return lines;
    }

    /** The index in {@code files} to read next: the cursor's file, or the first newer one if it was rotated away. */
    private int indexOf(List<Path> files) {
        if (files.isEmpty()) {
            return 0;
        }
        if (cursor.file() == null) {
            cursor = new Position(files.get(0).getFileName().toString(), 0);
            return 0;
        }
        for (int i = 0; i < files.size(); i++) {
            String name = files.get(i).getFileName().toString();
            if (name.equals(cursor.file())) {
                return i;
            }
            if (fileIndex(name) > fileIndex(cursor.file())) {
                skippedFiles++;
                cursor = new Position(name, 0);
                return i;
            }
        }
        return files.size(); // only older files than the cursor's remain: nothing new yet
    }

    static long fileIndex(String name) {
        String digits = name.replaceAll("\\D", "");
        return digits.isEmpty() ? -1 : Long.parseLong(digits);
    }

    /**
     * Appends the complete lines of {@code file} from {@code offset}; returns true when the file was read to
     * its end (a finished file's unterminated tail is dropped then), false when {@code room} ran out.
     */
    private boolean read(Path file, String name, long offset, int room, List<Line> out, boolean finished) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            long pos = Math.min(offset, size);
            ByteBuffer buffer = ByteBuffer.allocate(1 << 16);
            java.io.ByteArrayOutputStream pending = new java.io.ByteArrayOutputStream();
            long lineStart = pos;
            int added = 0;
            while (pos < size) {
                buffer.clear();
                int n = channel.read(buffer, pos);
                if (n <= 0) {
                    break;
                }
                byte[] chunk = buffer.array();
                int from = 0;
                for (int i = 0; i < n; i++) {
                    if (chunk[i] == '\n') {
                        pending.write(chunk, from, i - from);
                        long end = pos + i + 1;
                        out.add(new Line(pending.toString(StandardCharsets.UTF_8), new Position(name, lineStart), new Position(name, end)));
                        pending.reset();
                        lineStart = end;
                        from = i + 1;
                        cursor = new Position(name, end);
                        if (++added == room) {
                            return false;
                        }
                    }
                }
                if (pending.size() + n - from > MAX_LINE_BYTES) {
                    pending.reset(); // a line longer than any the server writes: not a log line, skip to the next newline
                    from = n;
                }
                pending.write(chunk, from, n - from);
                pos += n;
            }
            if (finished) {
                cursor = new Position(name, size);
            }
            return true;
        } catch (NoSuchFileException rotatedAway) {
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read inference log " + file + ": " + e.getMessage(), e);
        }
    }
}
