package dev.mlops.serve;

import dev.mlops.error.InvalidInputException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Request/response logging for drift detection.
 *
 * @param dir            folder of the rotating {@code inference-NNNNNN.jsonl} files
 * @param sampleRate     fraction of requests logged, 0..1 (a request's primary and shadow records are kept or dropped together)
 * @param seed           seed of the sampling sequence (same seed, same requests logged)
 * @param maxRecordBytes upper bound of one JSON line; longer inputs are cut row by row and the record says so
 * @param maxFileBytes   a file is rotated before it would grow past this
 * @param keepFiles      how many files are kept; older ones are deleted on rotation
 * @param queueCapacity  records waiting for the writer; when full, records are dropped and counted, never waited for
 */
public record LogSettings(Path dir, double sampleRate, long seed, int maxRecordBytes, long maxFileBytes, int keepFiles, int queueCapacity) {
    public static final int MIN_RECORD_BYTES = 1024;

    public LogSettings {
        Objects.requireNonNull(dir, "log.dir");
        List<String> problems = new ArrayList<>();
        if (!(sampleRate >= 0 && sampleRate <= 1)) {
            problems.add("log.sampleRate: " + sampleRate + " not in 0..1; e.g. 0.1 logs one request in ten");
        }
        if (maxRecordBytes < MIN_RECORD_BYTES) {
            problems.add("log.maxRecordBytes: " + maxRecordBytes + " is below " + MIN_RECORD_BYTES + "; give at least " + MIN_RECORD_BYTES);
        }
        if (maxFileBytes < maxRecordBytes) {
            problems.add("log.maxFileBytes: " + maxFileBytes + " is below maxRecordBytes " + maxRecordBytes + "; a file must hold at least one record");
        }
        if (keepFiles < 1) {
            problems.add("log.keepFiles: " + keepFiles + " keeps nothing; keep at least 1 file");
        }
        if (queueCapacity < 1) {
            problems.add("log.queueCapacity: " + queueCapacity + " is not positive; e.g. 8192");
        }
        if (!problems.isEmpty()) {
            throw new InvalidInputException(String.join("; ", problems));
        }
    }

    /** Every request logged, 64 KiB per record, 64 MiB files, 10 files kept, 8192 queued records. */
    public static LogSettings defaults(Path dir) {
        return new LogSettings(dir, 1.0, 0L, 64 * 1024, 64L * 1024 * 1024, 10, 8192);
    }

    public LogSettings withSampleRate(double rate) {
        return new LogSettings(dir, rate, seed, maxRecordBytes, maxFileBytes, keepFiles, queueCapacity);
    }

    public LogSettings withSeed(long newSeed) {
        return new LogSettings(dir, sampleRate, newSeed, maxRecordBytes, maxFileBytes, keepFiles, queueCapacity);
    }

    public LogSettings withLimits(int recordBytes, long fileBytes, int files) {
        return new LogSettings(dir, sampleRate, seed, recordBytes, fileBytes, files, queueCapacity);
    }

    public LogSettings withQueueCapacity(int capacity) {
        return new LogSettings(dir, sampleRate, seed, maxRecordBytes, maxFileBytes, keepFiles, capacity);
    }
}
