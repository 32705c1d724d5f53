package dev.mlops.storage;

import com.azure.core.http.HttpClient;
import com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder;
import com.azure.core.util.BinaryData;
import com.azure.core.util.Context;
import com.azure.storage.blob.BlobClient;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.blob.BlobServiceVersion;
import com.azure.storage.blob.models.BlobDownloadContentResponse;
import com.azure.storage.blob.models.BlobErrorCode;
import com.azure.storage.blob.models.BlobItem;
import com.azure.storage.blob.models.BlobProperties;
import com.azure.storage.blob.models.BlobRequestConditions;
import com.azure.storage.blob.models.BlobStorageException;
import com.azure.storage.blob.models.DeleteSnapshotsOptionType;
import com.azure.storage.blob.models.ListBlobsOptions;
import com.azure.storage.blob.options.BlobDownloadToFileOptions;
import com.azure.storage.blob.options.BlobUploadFromFileOptions;
import com.azure.storage.blob.options.BlockBlobSimpleUploadOptions;
import com.azure.storage.common.policy.RequestRetryOptions;
import com.azure.storage.common.policy.RetryPolicyType;
import dev.mlops.error.AccessDeniedException;
import dev.mlops.error.ConflictException;
import dev.mlops.error.InvalidInputException;
import dev.mlops.error.MlopsException;
import dev.mlops.error.NotFoundException;
import dev.mlops.error.StorageUnavailableException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Azure Blob Storage backend of {@link ArtifactStore}: every key is a block blob named
 * {@code <prefix>/<key>} in one container.
 *
 * <ul>
 *   <li>{@link #create} is a single Put Blob with {@code If-None-Match: *}, {@link #replace} one with
 *       {@code If-Match: <etag>}; the service decides the race, so this holds across machines.</li>
 *   <li>Files go up as staged blocks committed by one Put Block List (or one Put Blob when small);
 *       uncommitted blocks are never visible, so a killed upload leaves the key as it was.</li>
 * </ul>
 *
 * <p>Credentials come only from the environment map given to {@link #open}: a connection string, or
 * an account name plus a SAS token. Nothing this class reports (messages, causes, {@link #location()})
 * contains the connection string, the account key or the SAS token.
 */
public final class AzureBlobArtifactStore implements ArtifactStore {
    public static final String ENV_CONNECTION_STRING = "AZURE_STORAGE_CONNECTION_STRING";
    public static final String ENV_ACCOUNT = "AZURE_STORAGE_ACCOUNT";
    public static final String ENV_SAS_TOKEN = "AZURE_STORAGE_SAS_TOKEN";
    public static final String ENV_ENDPOINT = "AZURE_STORAGE_ENDPOINT";
    public static final String ENV_SERVICE_VERSION = "MLOPS_AZURE_SERVICE_VERSION";
    /** Newest version Azurite 3.37 accepts; the SDK's own default (2026-10-06) is rejected by it. */
    public static final BlobServiceVersion DEFAULT_SERVICE_VERSION = BlobServiceVersion.V2026_06_06;

    private static final long BLOCK_SIZE = 4L * 1024 * 1024;
    private static final int TRANSFER_CONCURRENCY = 4;
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(3);
    private static final Duration RESPONSE_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration TRY_TIMEOUT = Duration.ofSeconds(60);
    /** Metadata tag of a conditional write, to recognise our own write when a retried request reports a conflict. */
    private static final String WRITE_ID = "mlopswriteid";
    private static final Pattern CONTAINER_NAME = Pattern.compile("[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]");
    private static final Pattern ACCOUNT_NAME = Pattern.compile("[a-z0-9]{3,24}");
    private static final Pattern SECRET_PARAM =
            Pattern.compile("(?i)(AccountKey|SharedAccessSignature|sig)=[^;&\\s'\"]+");
    private static final Pattern URL_QUERY = Pattern.compile("(https?://[^\\s?'\"]+)\\?[^\\s'\"]*");

    private final BlobContainerClient container;
    private final String containerName;
    private final String prefix;
    private final String endpoint;
    private final String credentialVariable;
    private final String endpointVariable;
    private final Set<String> secrets;

    private AzureBlobArtifactStore(BlobContainerClient container, String containerName, String prefix, String endpoint,
                                   Credentials credentials) {
        this.container = container;
        this.containerName = containerName;
        this.prefix = prefix;
        this.endpoint = endpoint;
        this.credentialVariable = credentials.variable();
        this.endpointVariable = credentials.isSas() && credentials.connectionString() == null
                ? ENV_ACCOUNT + " / " + ENV_ENDPOINT : credentials.variable();
        this.secrets = credentials.secrets();
    }

    /**
     * Opens (and creates if absent) {@code container}, keeping every key under {@code prefix}.
     *
     * @param env the process environment or an equivalent map; the only source of credentials
     */
    public static AzureBlobArtifactStore open(String container, String prefix, Map<String, String> env) {
        String uri = "azblob://" + container + (prefix == null || prefix.isEmpty() ? "" : "/" + prefix);
        if (container == null || !CONTAINER_NAME.matcher(container).matches()) {
            throw new InvalidInputException("registry " + uri + ": '" + container
                    + "' is not a valid Azure container name; use 3-63 lowercase letters, digits and single hyphens");
        }
        String cleanPrefix = prefix == null ? "" : prefix.replaceAll("^/+", "").replaceAll("/+$", "");
        if (!cleanPrefix.isEmpty()) {
            try {
                Keys.check(cleanPrefix);
            } catch (IllegalArgumentException e) {
                throw new InvalidInputException("registry " + uri + ": prefix '" + cleanPrefix
                        + "' is not a plain relative path; use letters, digits, '.', '_', '-' and single '/'");
            }
        }

        Credentials credentials = Credentials.from(uri, env);
        BlobServiceVersion version = serviceVersion(env.get(ENV_SERVICE_VERSION));
        HttpClient http = new JdkHttpClientBuilder()
                .connectionTimeout(CONNECT_TIMEOUT)
                .responseTimeout(RESPONSE_TIMEOUT)
                .build();
        // Two tries with a short back-off: an unreachable account fails in seconds, not minutes.
        RequestRetryOptions retry = new RequestRetryOptions(RetryPolicyType.EXPONENTIAL, 2, TRY_TIMEOUT,
                Duration.ofMillis(250), Duration.ofSeconds(1), null);
        BlobServiceClientBuilder builder = new BlobServiceClientBuilder()
                .httpClient(http)
                .retryOptions(retry)
                .serviceVersion(version);
        BlobServiceClient service;
        try {
            if (credentials.connectionString() != null) {
                builder.connectionString(credentials.connectionString());
            } else {
                builder.endpoint(credentials.endpoint()).sasToken(credentials.sasToken());
            }
            service = builder.buildClient();
        } catch (IllegalArgumentException | IllegalStateException e) {
            String settings = credentials.connectionString() != null ? ENV_CONNECTION_STRING
                    : ENV_ENDPOINT + " / " + ENV_SAS_TOKEN;
            throw new InvalidInputException("registry " + uri + ": " + settings
                    + " is not usable (" + redact(e.getMessage(), credentials.secrets())
                    + "); copy it again from the storage account's access keys / SAS page");
        }
        String endpoint = withoutQuery(service.getAccountUrl());
        AzureBlobArtifactStore store = new AzureBlobArtifactStore(service.getBlobContainerClient(container), container,
                cleanPrefix, endpoint, credentials);
        store.createContainerIfAbsent(credentials.isSas());
        return store;
    }

    private void createContainerIfAbsent(boolean sas) {
        try {
            container.createIfNotExists();
        } catch (BlobStorageException e) {
            boolean mayBeScopedSas = sas && e.getStatusCode() == 403
                    && !BlobErrorCode.AUTHENTICATION_FAILED.equals(e.getErrorCode());
            if (!mayBeScopedSas) {
                throw failure("create container '" + containerName + "'", null, e);
            }
            // A SAS scoped to the container cannot create it; assume it exists. If the token is
            // really wrong, the first read or write reports AccessDeniedException.
        } catch (RuntimeException e) {
            throw failure("create container '" + containerName + "'", null, e);
        }
    }

    @Override
    public String location() {
        URI uri = URI.create(endpoint);
        String host = uri.getPort() < 0 ? uri.getHost() : uri.getHost() + ":" + uri.getPort();
        return "azblob://" + containerName + (prefix.isEmpty() ? "" : "/" + prefix) + " at " + host;
    }

    @Override
    public Optional<StoredObject> read(String key) {
        BlobClient blob = blob(key);
        try {
            BlobDownloadContentResponse response = blob.downloadContentWithResponse(null, null, null, Context.NONE);
            return Optional.of(new StoredObject(response.getValue().toBytes(),
                    response.getDeserializedHeaders().getETag()));
        } catch (BlobStorageException e) {
            if (BlobErrorCode.BLOB_NOT_FOUND.equals(e.getErrorCode())) {
                return Optional.empty();
            }
            throw failure("read '" + key + "'", key, e);
        } catch (RuntimeException e) {
            throw failure("read '" + key + "'", key, e);
        }
    }

    @Override
    public String create(String key, byte[] content) {
        return conditionalPut(key, content, new BlobRequestConditions().setIfNoneMatch("*"),
                "'" + key + "' already exists in " + location());
    }

    @Override
    public String replace(String key, byte[] content, String expectedEtag) {
        if (expectedEtag == null || expectedEtag.isBlank()) {
            throw new IllegalArgumentException("replace '" + key + "': expectedEtag is empty; read the document first");
        }
        return conditionalPut(key, content, new BlobRequestConditions().setIfMatch(expectedEtag),
                "'" + key + "' was changed or deleted concurrently in " + location() + "; read it again and retry");
    }

    /**
     * One Put Blob guarded by {@code conditions}. A request retried after a lost response can report a
     * conflict with our own first attempt; the write id in the blob's metadata tells that case apart.
     */
    private String conditionalPut(String key, byte[] content, BlobRequestConditions conditions, String conflictMessage) {
        BlobClient blob = blob(key);
        String writeId = UUID.randomUUID().toString();
        BlockBlobSimpleUploadOptions options = new BlockBlobSimpleUploadOptions(BinaryData.fromBytes(content))
                .setMetadata(Map.of(WRITE_ID, writeId))
                .setRequestConditions(conditions);
        try {
            return blob.getBlockBlobClient().uploadWithResponse(options, null, Context.NONE).getValue().getETag();
        } catch (BlobStorageException e) {
            int status = e.getStatusCode();
            boolean conditionFailed = status == 409 || status == 412 || (status == 404
                    && BlobErrorCode.BLOB_NOT_FOUND.equals(e.getErrorCode()));
            if (!conditionFailed) {
                throw failure("write '" + key + "'", key, e);
            }
            Optional<String> ours = etagIfWrittenBy(blob, writeId);
            if (ours.isPresent()) {
                return ours.get();
            }
            throw new ConflictException(conflictMessage);
        } catch (RuntimeException e) {
            throw failure("write '" + key + "'", key, e);
        }
    }

    private Optional<String> etagIfWrittenBy(BlobClient blob, String writeId) {
        try {
            BlobProperties properties = blob.getPropertiesWithResponse(null, null, Context.NONE).getValue();
            Map<String, String> metadata = properties.getMetadata();
            return metadata != null && writeId.equals(metadata.get(WRITE_ID))
                    ? Optional.of(properties.getETag()) : Optional.empty();
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    @Override
    public boolean exists(String key) {
        BlobClient blob = blob(key);
        try {
            return Boolean.TRUE.equals(blob.exists());
        } catch (RuntimeException e) {
            throw failure("check '" + key + "'", key, e);
        }
    }

    @Override
    public List<String> list(String keyPrefix) {
        Keys.checkPrefix(keyPrefix);
        String base = prefix.isEmpty() ? "" : prefix + "/";
        List<String> keys = new ArrayList<>();
        try {
            for (BlobItem item : container.listBlobs(new ListBlobsOptions().setPrefix(base + keyPrefix), null)) {
                keys.add(item.getName().substring(base.length()));
            }
        } catch (RuntimeException e) {
            throw failure("list '" + keyPrefix + "'", null, e);
        }
        keys.sort(null);
        return keys;
    }

    @Override
    public void upload(String key, Path source, TransferListener listener) {
        BlobClient blob = blob(key);
        long total;
        try {
            total = Files.size(source);
        } catch (IOException e) {
            throw new InvalidInputException("upload to '" + key + "': cannot read source file " + source
                    + " (" + e.getClass().getSimpleName() + "); check that it exists and is readable");
        }
        Progress progress = new Progress(key, total, listener);
        // Files above one block are staged block by block and committed by a single Put Block List;
        // staged blocks stay invisible, so readers never see a half-written object.
        BlobUploadFromFileOptions options = new BlobUploadFromFileOptions(source.toString())
                .setParallelTransferOptions(new com.azure.storage.blob.models.ParallelTransferOptions()
                        .setBlockSizeLong(BLOCK_SIZE)
                        .setMaxSingleUploadSizeLong(BLOCK_SIZE)
                        .setMaxConcurrency(TRANSFER_CONCURRENCY)
                        .setProgressListener(progress::update));
        try {
            blob.uploadFromFileWithResponse(options, null, Context.NONE);
        } catch (RuntimeException e) {
            throw failure("upload " + source.getFileName() + " to '" + key + "'", key, e);
        }
        progress.update(total);
    }

    @Override
    public void download(String key, Path target, TransferListener listener) {
        BlobClient blob = blob(key);
        String action = "download '" + key + "'";
        BlobProperties properties;
        try {
            properties = blob.getPropertiesWithResponse(null, null, Context.NONE).getValue();
        } catch (RuntimeException e) {
            throw failure(action, key, e);
        }
        Progress progress = new Progress(key, properties.getBlobSize(), listener);
        Set<OpenOption> overwrite = Set.of(StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.READ, StandardOpenOption.WRITE);
        BlobDownloadToFileOptions options = new BlobDownloadToFileOptions(target.toString())
                .setOpenOptions(overwrite)
                .setRequestConditions(new BlobRequestConditions().setIfMatch(properties.getETag()))
                .setParallelTransferOptions(new com.azure.storage.common.ParallelTransferOptions()
                        .setBlockSizeLong(BLOCK_SIZE)
                        .setMaxConcurrency(TRANSFER_CONCURRENCY)
                        .setProgressListener(progress::update));
        try {
            blob.downloadToFileWithResponse(options, null, Context.NONE);
        } catch (BlobStorageException e) {
            if (e.getStatusCode() == 412) {
                throw new ConflictException("'" + key + "' was replaced while downloading from " + location() + "; retry");
            }
            throw failure(action, key, e);
        } catch (RuntimeException e) {
            throw failure(action, key, e);
        }
        progress.update(properties.getBlobSize());
    }

    @Override
    public void delete(String key) {
        BlobClient blob = blob(key);
        try {
            blob.deleteIfExistsWithResponse(DeleteSnapshotsOptionType.INCLUDE, null, null, Context.NONE);
        } catch (RuntimeException e) {
            throw failure("delete '" + key + "'", key, e);
        }
    }

    @Override
    public void close() {
        // The JDK HttpClient of Java 17 has no close(); its threads end once it is unreachable.
    }

    private BlobClient blob(String key) {
        Keys.check(key);
        return container.getBlobClient(prefix.isEmpty() ? key : prefix + "/" + key);
    }

    /** Turns any SDK failure into a typed, secret-free exception whose cause is scrubbed as well. */
    private MlopsException failure(String action, String key, RuntimeException e) {
        Throwable cause = scrubbed(e, secrets);
        if (e instanceof BlobStorageException b) {
            int status = b.getStatusCode();
            String code = b.getErrorCode() == null ? "no error code" : b.getErrorCode().toString();
            if (status == 403) {
                String why = code.startsWith("AuthorizationPermission") || code.startsWith("AuthorizationResource")
                        ? "; the credential lacks permission (a SAS needs read, add, create, write, delete and list)"
                        : "";
                return new AccessDeniedException("credentials rejected by " + endpoint + " (403 " + code + ") when trying to "
                        + action + "; check the secret bound to " + credentialVariable + why, cause);
            }
            if (BlobErrorCode.CONTAINER_NOT_FOUND.equals(b.getErrorCode())) {
                return new NotFoundException("container '" + containerName + "' does not exist at " + endpoint
                        + " (" + action + "); create it or reopen the registry to create it", cause);
            }
            if (status == 404 && key != null) {
                return new NotFoundException("'" + key + "' is missing from " + location()
                        + "; the registry may be damaged, run `mlops audit --verify`", cause);
            }
            if (status == 409 || status == 412) {
                return new ConflictException(action + " in " + location() + " conflicted (" + status + " " + code
                        + "); retry", cause);
            }
            if (status == 400 && BlobErrorCode.INVALID_HEADER_VALUE.equals(b.getErrorCode())) {
                return new InvalidInputException("storage at " + endpoint + " rejected a request header (" + code
                        + ") when trying to " + action + "; if it does not support API version " + serviceVersionOf()
                        + ", set " + ENV_SERVICE_VERSION + " to one it does (Azurite 3.37: 2026-06-06)", cause);
            }
            return new StorageUnavailableException("storage at " + endpoint + " answered " + status + " " + code
                    + " when trying to " + action + (status >= 500 ? "; the service is struggling, retry later" : ""), cause);
        }
        FileSystemException local = find(e, FileSystemException.class);
        if (local != null) {
            return new StorageUnavailableException("cannot " + action + ": local file " + local.getFile() + " ("
                    + local.getClass().getSimpleName() + "); check that its folder exists and is writable", cause);
        }
        String network = networkFailure(e);
        if (network != null) {
            return new StorageUnavailableException("cannot reach Azure Blob Storage at " + endpoint + " to " + action
                    + " (" + network + "); is the storage account reachable from here? check the endpoint in "
                    + endpointVariable + " and the network", cause);
        }
        return new StorageUnavailableException(action + " failed at " + endpoint + " ("
                + e.getClass().getSimpleName() + "); see the cause, and check " + credentialVariable, cause);
    }

    private String serviceVersionOf() {
        return container.getServiceVersion().getVersion();
    }

    private static <T extends Throwable> T find(Throwable e, Class<T> type) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }

    /** What went wrong on the network, or null when {@code e} is no network failure. */
    private static String networkFailure(Throwable e) {
        String found = null;
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof UnknownHostException || t instanceof UnresolvedAddressException) {
                return "unknown host";
            }
            if (found == null && t instanceof ConnectException) {
                found = "connection refused or timed out";
            } else if (found == null && (t instanceof IOException || t instanceof TimeoutException)) {
                found = t.getClass().getSimpleName();
            }
        }
        return found;
    }

    private static BlobServiceVersion serviceVersion(String value) {
        if (value == null || value.isBlank()) {
            return DEFAULT_SERVICE_VERSION;
        }
        String wanted = value.trim();
        return Arrays.stream(BlobServiceVersion.values())
                .filter(v -> v.getVersion().equals(wanted) || v.name().equals(wanted))
                .findFirst()
                .orElseThrow(() -> new InvalidInputException(ENV_SERVICE_VERSION + ": '" + wanted
                        + "' is not a known Blob service version; use one like " + DEFAULT_SERVICE_VERSION.getVersion()
                        + " (newest known: " + BlobServiceVersion.getLatest().getVersion() + ")"));
    }

    private static String withoutQuery(String url) {
        int q = url.indexOf('?');
        String base = q < 0 ? url : url.substring(0, q);
        return base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    }

    /** Removes every known secret, secret-looking parameter and URL query string from {@code text}. */
    static String redact(String text, Set<String> secrets) {
        if (text == null) {
            return "";
        }
        String out = text;
        for (String secret : secrets) {
            if (secret.length() >= 8) {
                out = out.replace(secret, "<redacted>");
            }
        }
        out = SECRET_PARAM.matcher(out).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + "=<redacted>"));
        return URL_QUERY.matcher(out).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + "?<redacted>"));
    }

    /**
     * A copy of {@code e}'s cause chain that keeps class names and stack traces but only redacted
     * messages: Azure SDK messages can carry request URLs with SAS signatures or service text.
     */
    private static Throwable scrubbed(Throwable e, Set<String> secrets) {
        Throwable copy = null;
        List<Throwable> chain = new ArrayList<>();
        for (Throwable t = e; t != null && chain.size() < 10 && !chain.contains(t); t = t.getCause()) {
            chain.add(t);
        }
        for (int i = chain.size() - 1; i >= 0; i--) {
            Throwable original = chain.get(i);
            String message = original instanceof BlobStorageException b
                    ? "HTTP " + b.getStatusCode() + " " + b.getErrorCode()
                    : redact(original.getMessage(), secrets);
            String name = original.getClass().getName();
            copy = new ScrubbedCause(message.isEmpty() ? name : name + ": " + message, copy, original.getStackTrace());
        }
        return copy;
    }

    /** Stands in for an SDK exception in a cause chain; see {@link #scrubbed}. */
    static final class ScrubbedCause extends RuntimeException {
        ScrubbedCause(String message, Throwable cause, StackTraceElement[] stack) {
            super(message, cause, false, true);
            setStackTrace(stack);
        }
    }

    /** Serialises the SDK's progress callbacks (parallel transfers call from several threads) and keeps them monotonic. */
    private static final class Progress {
        private final String key;
        private final long total;
        private final TransferListener listener;
        private long reported = -1;

        Progress(String key, long total, TransferListener listener) {
            this.key = key;
            this.total = total;
            this.listener = listener == null ? TransferListener.NONE : listener;
        }

        synchronized void update(long bytesDone) {
            long done = Math.min(bytesDone, total);
            if (done > reported) {
                reported = done;
                listener.progress(key, done, total);
            }
        }
    }

    /** What {@link #open} found in the environment. Exactly one of connectionString or sasToken is set. */
    private record Credentials(String connectionString, String endpoint, String sasToken, String variable,
                               Set<String> secrets) {
        boolean isSas() {
            return sasToken != null
                    || connectionString.toLowerCase(java.util.Locale.ROOT).contains("sharedaccesssignature=");
        }

        static Credentials from(String uri, Map<String, String> env) {
            // No DefaultAzureCredential: azure-identity would add MSAL and a second HTTP stack; use a SAS instead.
            String connectionString = blankToNull(env.get(ENV_CONNECTION_STRING));
            if (connectionString != null) {
                return new Credentials(connectionString, null, null, ENV_CONNECTION_STRING,
                        secretsOf(connectionString));
            }
            String account = blankToNull(env.get(ENV_ACCOUNT));
            String sas = blankToNull(env.get(ENV_SAS_TOKEN));
            if (account == null || sas == null) {
                String missing = account == null && sas == null ? "no Azure credentials"
                        : account == null ? ENV_SAS_TOKEN + " is set but " + ENV_ACCOUNT + " is not"
                        : ENV_ACCOUNT + " is set but " + ENV_SAS_TOKEN + " is not";
                throw new InvalidInputException("registry " + uri + ": " + missing + "; set " + ENV_CONNECTION_STRING
                        + ", or " + ENV_ACCOUNT + " and " + ENV_SAS_TOKEN + " (optionally " + ENV_ENDPOINT
                        + "); in Jenkins bind them with withCredentials, e.g. string(credentialsId: '...', variable: '"
                        + ENV_CONNECTION_STRING + "')");
            }
            String token = sas.startsWith("?") ? sas.substring(1) : sas;
            String endpoint = blankToNull(env.get(ENV_ENDPOINT));
            if (endpoint == null) {
                if (!ACCOUNT_NAME.matcher(account).matches()) {
                    throw new InvalidInputException(ENV_ACCOUNT + ": '" + account
                            + "' is not a storage account name; use its 3-24 lowercase letters and digits");
                }
                endpoint = "https://" + account + ".blob.core.windows.net";
            }
            return new Credentials(null, withoutQuery(endpoint), token, ENV_SAS_TOKEN, secretsOf(token));
        }

        /** The whole value plus each account key, SAS and signature inside it, so each is redacted alone too. */
        private static Set<String> secretsOf(String value) {
            Set<String> secrets = new LinkedHashSet<>();
            secrets.add(value);
            for (String part : value.split(";")) {
                int eq = part.indexOf('=');
                String name = eq < 0 ? "" : part.substring(0, eq).trim();
                String secret = eq < 0 ? "" : part.substring(eq + 1).trim();
                if (name.equalsIgnoreCase("AccountKey") || name.equalsIgnoreCase("SharedAccessSignature")) {
                    secrets.add(secret);
                }
            }
            for (String param : value.split("[;&?]")) {
                if (param.regionMatches(true, 0, "sig=", 0, 4)) {
                    secrets.add(param.substring(4));
                }
            }
            secrets.removeIf(String::isEmpty);
            return Set.copyOf(secrets);
        }

        private static String blankToNull(String value) {
            return value == null || value.isBlank() ? null : value.trim();
        }
    }
}
