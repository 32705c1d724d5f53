package dev.mlops.lineage;

import java.util.Objects;

/** Identity of a data file: its content hash and size, and its row count when it is a CSV file. */
public record DatasetFingerprint(String path, String sha256, long sizeBytes, Long rows) {
    public DatasetFingerprint {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(sha256, "sha256");
    }
}
