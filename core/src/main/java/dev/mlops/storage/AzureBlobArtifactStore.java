package dev.mlops.storage;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** PLACEHOLDER: being written. Azure Blob Storage backend of {@link ArtifactStore}. */
public final class AzureBlobArtifactStore implements ArtifactStore {
    public static final String ENV_CONNECTION_STRING = "AZURE_STORAGE_CONNECTION_STRING";

    public static AzureBlobArtifactStore open(String container, String prefix, Map<String, String> env) {
        throw new UnsupportedOperationException("not yet");
    }

    @Override public String location() { throw new UnsupportedOperationException(); }
    @Override public Optional<StoredObject> read(String key) { throw new UnsupportedOperationException(); }
    @Override public String create(String key, byte[] content) { throw new UnsupportedOperationException(); }
    @Override public String replace(String key, byte[] content, String expectedEtag) { throw new UnsupportedOperationException(); }
    @Override public boolean exists(String key) { throw new UnsupportedOperationException(); }
    @Override public List<String> list(String prefix) { throw new UnsupportedOperationException(); }
    @Override public void upload(String key, Path source, TransferListener listener) { throw new UnsupportedOperationException(); }
    @Override public void download(String key, Path target, TransferListener listener) { throw new UnsupportedOperationException(); }
    @Override public void delete(String key) { throw new UnsupportedOperationException(); }
}
