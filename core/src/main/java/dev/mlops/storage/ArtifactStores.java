package dev.mlops.storage;

import dev.mlops.error.InvalidInputException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Map;

/**
 * Picks the store for a registry URI:
 * <ul>
 *   <li>{@code file:/abs/path}, {@code file:rel/path} or a plain path: a local folder;</li>
 *   <li>{@code azblob://<container>[/<prefix>]}: Azure Blob Storage, credentials from the
 *       environment only ({@link AzureBlobArtifactStore#ENV_CONNECTION_STRING} and friends).</li>
 * </ul>
 */
public final class ArtifactStores {
    public static final String DEFAULT_REGISTRY = ".mlops/registry";
    public static final String ENV_REGISTRY = "MLOPS_REGISTRY";

    private ArtifactStores() {
    }

    /** The registry URI from an explicit value, else {@code MLOPS_REGISTRY}, else the default folder. */
    public static String resolveUri(String explicit, Map<String, String> env) {
        if (explicit != null && !explicit.isBlank()) {
            return explicit.trim();
        }
        String fromEnv = env.get(ENV_REGISTRY);
        return fromEnv != null && !fromEnv.isBlank() ? fromEnv.trim() : DEFAULT_REGISTRY;
    }

    public static ArtifactStore open(String uri, Path workingDir, Map<String, String> env) {
        if (uri == null || uri.isBlank()) {
            throw new InvalidInputException("registry: empty URI; use a folder path, file:/path or azblob://container/prefix");
        }
        if (uri.startsWith("azblob:")) {
            return openAzure(uri, env);
        }
        if (uri.startsWith("file:")) {
            return new LocalArtifactStore(workingDir.resolve(filePath(uri)));
        }
        if (uri.matches("^[A-Za-z][A-Za-z0-9+.-]+:.*") && !uri.matches("^[A-Za-z]:[\\\\/].*")) {
            throw new InvalidInputException("registry: unsupported scheme in '" + uri
                    + "'; use a folder path, file:/path or azblob://container/prefix");
        }
        return new LocalArtifactStore(workingDir.resolve(uri));
    }

    private static Path filePath(String uri) {
        String rest = uri.substring("file:".length());
        if (rest.startsWith("//")) {
            try {
                return Path.of(new URI(uri));
            } catch (URISyntaxException | IllegalArgumentException e) {
                throw new InvalidInputException("registry: '" + uri + "' is not a valid file URI; use file:/absolute/path");
            }
        }
        if (rest.isEmpty()) {
            throw new InvalidInputException("registry: 'file:' names no folder; use file:/absolute/path or file:relative/path");
        }
        return Path.of(rest);
    }

    private static ArtifactStore openAzure(String uri, Map<String, String> env) {
        URI parsed;
        try {
            parsed = new URI(uri);
        } catch (URISyntaxException e) {
            throw new InvalidInputException("registry: '" + uri + "' is not a valid URI; use azblob://container/prefix");
        }
        String container = parsed.getHost() != null ? parsed.getHost() : parsed.getAuthority();
        if (container == null || container.isBlank()) {
            throw new InvalidInputException("registry: '" + uri + "' names no container; use azblob://container/prefix");
        }
        String path = parsed.getPath() == null ? "" : parsed.getPath();
        String prefix = path.replaceAll("^/+", "").replaceAll("/+$", "");
        return AzureBlobArtifactStore.open(container, prefix, env);
    }
}
