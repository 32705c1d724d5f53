package dev.mlops.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.blob.models.BlobItem;
import com.azure.storage.common.sas.AccountSasPermission;
import com.azure.storage.common.sas.AccountSasResourceType;
import com.azure.storage.common.sas.AccountSasService;
import com.azure.storage.common.sas.AccountSasSignatureValues;
import dev.mlops.error.AccessDeniedException;
import dev.mlops.error.InvalidInputException;
import dev.mlops.error.StorageUnavailableException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class AzureBlobArtifactStoreTest extends ArtifactStoreContract {
    @RegisterExtension
    static final AzuriteExtension AZURITE = new AzuriteExtension();

    @Override
    protected ArtifactStore newStore() {
        return AZURITE.newStore();
    }

    @Test
    void locationNamesContainerAndHostButNoSecret() {
        String location = store.location();

        assertTrue(location.startsWith("azblob://t"), location);
        assertTrue(location.contains(" at 127.0.0.1:"), location);
        assertNoSecret(location, AzuriteExtension.ACCOUNT_KEY, AZURITE.connectionString());
        assertFalse(location.contains("AccountKey"), location);
    }

    @Test
    void prefixKeepsStoresApartAndIsNotPartOfTheKeys() throws Exception {
        String container = AzuriteExtension.newContainerName();
        try (AzureBlobArtifactStore a = open(container, "reg/a", connectionEnv());
             AzureBlobArtifactStore b = open(container, "reg/b", connectionEnv())) {
            a.create("models/m/meta.json", bytes("a"));

            assertFalse(b.exists("models/m/meta.json"));
            assertEquals(List.of("models/m/meta.json"), a.list(""));
            assertEquals(List.of(), b.list(""));
            assertTrue(a.location().contains("azblob://" + container + "/reg/a at "), a.location());
            assertEquals(List.of("reg/a/models/m/meta.json"), rawBlobNames(container));
        }
    }

    @Test
    void sasTokenCredentialsWorkAndStayOutOfLocation() {
        String sas = accountSas();
        Map<String, String> env = Map.of(
                AzureBlobArtifactStore.ENV_ACCOUNT, AzuriteExtension.ACCOUNT,
                AzureBlobArtifactStore.ENV_SAS_TOKEN, "?" + sas,
                AzureBlobArtifactStore.ENV_ENDPOINT, AZURITE.blobEndpoint());
        try (AzureBlobArtifactStore sasStore = open(AzuriteExtension.newContainerName(), "p", env)) {
            String etag = sasStore.create("doc", bytes("v1"));
            sasStore.replace("doc", bytes("v2"), etag);

            assertEquals("v2", text(sasStore.read("doc").orElseThrow().content()));
            assertEquals(List.of("doc"), sasStore.list(""));
            assertNoSecret(sasStore.location(), sas, signatureOf(sas));
        }
    }

    @Test
    void tamperedSasTokenIsAccessDeniedWithoutLeakingIt() {
        String sas = accountSas();
        String forged = sas.replace("sig=" + signatureOf(sas), "sig=" + randomBase64(32));
        Map<String, String> env = Map.of(
                AzureBlobArtifactStore.ENV_ACCOUNT, AzuriteExtension.ACCOUNT,
                AzureBlobArtifactStore.ENV_SAS_TOKEN, forged,
                AzureBlobArtifactStore.ENV_ENDPOINT, AZURITE.blobEndpoint());

        AccessDeniedException e = assertThrows(AccessDeniedException.class, () -> {
            try (AzureBlobArtifactStore sasStore = open(AzuriteExtension.newContainerName(), "", env)) {
                sasStore.read("doc");
            }
        });

        assertTrue(e.getMessage().contains(AzureBlobArtifactStore.ENV_SAS_TOKEN), e.getMessage());
        assertNoSecret(fullTrace(e), forged, signatureOf(forged));
    }

    @Test
    void wrongAccountKeyIsAccessDeniedWithoutLeakingTheKey() {
        String wrongKey = randomBase64(64);
        String connectionString = AZURITE.connectionString().replace(AzuriteExtension.ACCOUNT_KEY, wrongKey);

        AccessDeniedException e = assertThrows(AccessDeniedException.class, () -> open(AzuriteExtension.newContainerName(), "",
                Map.of(AzureBlobArtifactStore.ENV_CONNECTION_STRING, connectionString)));

        assertTrue(e.getMessage().contains("credentials rejected by http://127.0.0.1:"), e.getMessage());
        assertTrue(e.getMessage().contains(AzureBlobArtifactStore.ENV_CONNECTION_STRING), e.getMessage());
        assertNoSecret(fullTrace(e), wrongKey, connectionString);
    }

    @Test
    void unreachableEndpointFailsFastNamingTheEndpoint() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        String connectionString = AZURITE.connectionString()
                .replaceAll("BlobEndpoint=http://127\\.0\\.0\\.1:\\d+/", "BlobEndpoint=http://127.0.0.1:" + closedPort + "/");

        long started = System.nanoTime();
        StorageUnavailableException e = assertThrows(StorageUnavailableException.class,
                () -> open(AzuriteExtension.newContainerName(), "", Map.of(AzureBlobArtifactStore.ENV_CONNECTION_STRING, connectionString)));
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertTrue(took.compareTo(Duration.ofSeconds(10)) < 0, "took " + took);
        assertTrue(e.getMessage().contains("127.0.0.1:" + closedPort), e.getMessage());
        assertTrue(e.getMessage().contains(AzureBlobArtifactStore.ENV_CONNECTION_STRING), e.getMessage());
        assertNoSecret(fullTrace(e), AzuriteExtension.ACCOUNT_KEY, connectionString);
    }

    @Test
    void unknownHostIsStorageUnavailable() {
        Map<String, String> env = Map.of(
                AzureBlobArtifactStore.ENV_ACCOUNT, "acct",
                AzureBlobArtifactStore.ENV_SAS_TOKEN, "sv=2020-01-01&sig=notASecretButStillHidden",
                AzureBlobArtifactStore.ENV_ENDPOINT, "http://no-such-host.invalid:10000/acct");

        StorageUnavailableException e = assertThrows(StorageUnavailableException.class, () -> open("models", "", env));

        assertTrue(e.getMessage().contains("no-such-host.invalid:10000"), e.getMessage());
        assertTrue(e.getMessage().contains("unknown host"), e.getMessage());
        assertTrue(e.getMessage().contains(AzureBlobArtifactStore.ENV_ENDPOINT), e.getMessage());
        assertNoSecret(fullTrace(e), "notASecretButStillHidden");
    }

    @Test
    void downloadIntoAMissingFolderNamesTheLocalFile() {
        store.create("doc", bytes("x"));
        Path target = scratch.resolve("no/such/folder/doc");

        StorageUnavailableException e = assertThrows(StorageUnavailableException.class,
                () -> store.download("doc", target, TransferListener.NONE));

        assertTrue(e.getMessage().contains("local file"), e.getMessage());
    }

    @Test
    void missingCredentialsNameTheVariablesAndWithCredentials() {
        InvalidInputException none = assertThrows(InvalidInputException.class,
                () -> open("models", "reg", Map.of()));
        assertTrue(none.getMessage().contains(AzureBlobArtifactStore.ENV_CONNECTION_STRING), none.getMessage());
        assertTrue(none.getMessage().contains(AzureBlobArtifactStore.ENV_SAS_TOKEN), none.getMessage());
        assertTrue(none.getMessage().contains("withCredentials"), none.getMessage());

        InvalidInputException half = assertThrows(InvalidInputException.class,
                () -> open("models", "reg", Map.of(AzureBlobArtifactStore.ENV_ACCOUNT, "acct")));
        assertTrue(half.getMessage().contains(AzureBlobArtifactStore.ENV_SAS_TOKEN + " is not"), half.getMessage());
    }

    @Test
    void invalidContainerOrPrefixIsInvalidInput() {
        Map<String, String> env = connectionEnv();
        assertThrows(InvalidInputException.class, () -> open("Bad_Container", "", env));
        assertThrows(InvalidInputException.class, () -> open("ab", "", env));
        assertThrows(InvalidInputException.class, () -> open("models", "a/../b", env));
    }

    @Test
    void serviceVersionIsConfigurableAndAnUnsupportedOneIsExplained() {
        String container = AzuriteExtension.newContainerName();
        InvalidInputException unknown = assertThrows(InvalidInputException.class, () -> open(container, "",
                env(AzureBlobArtifactStore.ENV_SERVICE_VERSION, "1999-01-01")));
        assertTrue(unknown.getMessage().contains(AzureBlobArtifactStore.ENV_SERVICE_VERSION), unknown.getMessage());

        // Azurite 3.37 does not know the SDK's newest version and says so with 400 InvalidHeaderValue.
        InvalidInputException rejected = assertThrows(InvalidInputException.class, () -> open(container, "",
                env(AzureBlobArtifactStore.ENV_SERVICE_VERSION, "2026-10-06")));
        assertTrue(rejected.getMessage().contains(AzureBlobArtifactStore.ENV_SERVICE_VERSION), rejected.getMessage());

        try (AzureBlobArtifactStore older = open(container, "", env(AzureBlobArtifactStore.ENV_SERVICE_VERSION, "2025-11-05"))) {
            older.create("doc", bytes("x"));
            assertTrue(older.exists("doc"));
        }
    }

    @Test
    void redactRemovesSecretsParametersAndQueryStrings() {
        String text = "PUT http://127.0.0.1:1/acct/c/b?sv=2020&sig=abc%2Fdef failed; AccountKey=s3cr3tKEY==;x "
                + "SharedAccessSignature=sv=1&sig=zzz;";
        String redacted = AzureBlobArtifactStore.redact(text, Set.of("s3cr3tKEY=="));

        assertNoSecret(redacted, "s3cr3tKEY", "abc%2Fdef", "zzz");
        assertTrue(redacted.contains("http://127.0.0.1:1/acct/c/b?<redacted>"), redacted);
    }

    private static AzureBlobArtifactStore open(String container, String prefix, Map<String, String> env) {
        return AzureBlobArtifactStore.open(container, prefix, env);
    }

    private static Map<String, String> connectionEnv() {
        return Map.of(AzureBlobArtifactStore.ENV_CONNECTION_STRING, AZURITE.connectionString());
    }

    private static Map<String, String> env(String name, String value) {
        return Map.of(AzureBlobArtifactStore.ENV_CONNECTION_STRING, AZURITE.connectionString(), name, value);
    }

    private static BlobServiceClient rawClient() {
        return new BlobServiceClientBuilder()
                .connectionString(AZURITE.connectionString())
                .serviceVersion(AzureBlobArtifactStore.DEFAULT_SERVICE_VERSION)
                .buildClient();
    }

    private static List<String> rawBlobNames(String container) {
        return rawClient().getBlobContainerClient(container).listBlobs().stream()
                .map(BlobItem::getName)
                .collect(Collectors.toList());
    }

    private static String accountSas() {
        AccountSasSignatureValues values = new AccountSasSignatureValues(OffsetDateTime.now().plusHours(1),
                AccountSasPermission.parse("rwdlacu"), AccountSasService.parse("b"), AccountSasResourceType.parse("sco"));
        return rawClient().generateAccountSas(values);
    }

    private static String signatureOf(String sas) {
        for (String param : sas.split("&")) {
            if (param.startsWith("sig=")) {
                return param.substring(4);
            }
        }
        throw new IllegalArgumentException("SAS without sig");
    }

    private static String randomBase64(int bytes) {
        byte[] random = new byte[bytes];
        new Random().nextBytes(random);
        return Base64.getEncoder().encodeToString(random);
    }

    private static String fullTrace(Throwable e) {
        StringWriter out = new StringWriter();
        e.printStackTrace(new PrintWriter(out));
        return out.toString();
    }

    private static void assertNoSecret(String text, String... secrets) {
        for (String secret : secrets) {
            assertFalse(text.contains(secret), "leaked '" + secret + "' in: " + text);
        }
    }
}
