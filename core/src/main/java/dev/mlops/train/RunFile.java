package dev.mlops.train;

/** A file of a run's output folder, relative to it. */
public record RunFile(String path, long sizeBytes, String sha256) {
}
