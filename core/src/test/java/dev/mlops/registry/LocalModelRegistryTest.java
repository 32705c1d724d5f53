package dev.mlops.registry;

import dev.mlops.storage.ArtifactStore;
import dev.mlops.storage.LocalArtifactStore;

class LocalModelRegistryTest extends ModelRegistryContract {
    @Override
    protected ArtifactStore newStore() {
        return new LocalArtifactStore(temp.resolve("registry"));
    }
}
