package dev.mlops.serve;

import dev.mlops.model.Predictor;

/**
 * Where a running server finds a version it is asked to load ({@code POST /admin/versions}):
 * usually the registry ({@link RegistryVersions}). {@link #resolve} only reads metadata, so an
 * unknown version is refused at once; {@link #load} downloads and loads, off the request threads.
 */
public interface VersionSource {
    /** The spec of {@code model:version}; a {@link dev.mlops.error.NotFoundException} naming the version when there is none. */
    ModelSpec resolve(String model, int version);

    /** Downloads (when needed) and loads the version; called on the server's loader thread. */
    Predictor load(ModelSpec spec);
}
