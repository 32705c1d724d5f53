package dev.mlops.registry;

/** One file of a model version: its path inside the version, content hash and size. */
public record ModelFile(String path, String sha256, long sizeBytes) {
}
