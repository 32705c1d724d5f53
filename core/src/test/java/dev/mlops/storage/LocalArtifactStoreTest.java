package dev.mlops.storage;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class LocalArtifactStoreTest extends ArtifactStoreContract {
    @TempDir
    Path root;

    @Override
    protected ArtifactStore newStore() {
        return new LocalArtifactStore(root.resolve("registry"));
    }
}
