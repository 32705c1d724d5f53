package dev.mlops.registry;

import dev.mlops.storage.AzureBlobArtifactStore;
import dev.mlops.storage.AzuriteExtension;
import java.util.Map;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Cross-process guarantees against a real Azure Blob emulator (Azurite). */
class AzureMultiProcessTest extends MultiProcessContract {
    @RegisterExtension
    static final AzuriteExtension AZURITE = new AzuriteExtension();

    @Override
    protected String newRegistryUri() {
        return "azblob://" + AzuriteExtension.newContainerName() + "/registry";
    }

    @Override
    protected Map<String, String> workerEnv() {
        return Map.of(AzureBlobArtifactStore.ENV_CONNECTION_STRING, AZURITE.connectionString());
    }
}
