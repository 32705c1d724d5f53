package dev.mlops.cli;

import dev.mlops.registry.ModelRegistry;
import dev.mlops.storage.ArtifactStores;
import picocli.CommandLine.Option;

/** The --registry option shared by every command that reads or writes the registry. */
public final class RegistryOptions {
    @Option(names = "--registry", paramLabel = "URI",
            description = "Registry: a folder, file:/path or azblob://container/prefix (credentials from "
                    + "AZURE_STORAGE_CONNECTION_STRING). Default: $MLOPS_REGISTRY, else .mlops/registry")
    String registry;

    ModelRegistry open(Context context) {
        String uri = ArtifactStores.resolveUri(registry, context.env());
        return new ModelRegistry(ArtifactStores.open(uri, context.workingDir(), context.env()), context.clock());
    }
}
