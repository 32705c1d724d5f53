package dev.mlops.registry;

import dev.mlops.storage.ArtifactStore;
import dev.mlops.storage.AzuriteExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The registry contract against a real Azure Blob emulator (Azurite). */
class AzureModelRegistryTest extends ModelRegistryContract {
    @RegisterExtension
    static final AzuriteExtension AZURITE = new AzuriteExtension();

    @Override
    protected ArtifactStore newStore() {
        return AZURITE.newStore();
    }
}
