package dev.mlops.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.json.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CliTest {
    @TempDir
    Path work;
    final Map<String, String> env = new HashMap<>();

    record Result(int code, String out, String err) {
        JsonNode json() {
            try {
                return Json.mapper().readTree(out);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + out, e);
            }
        }
    }

    Result mlops(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(new Context(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                env, work, Clock.systemUTC()), args);
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @BeforeEach
    void files() throws IOException {
        Files.writeString(work.resolve("model.bin"), "weights");
        Files.writeString(work.resolve("train.csv"), "x,y\n1,0\n2,1\n");
        env.put("MLOPS_ACTOR", "tester");
    }

    @Test
    void registerPrintsTheVersionDocument() {
        Result r = mlops("register", "--model", "churn", "--path", "model.bin", "--metric", "accuracy=0.91", "--param", "lr=0.1",
                "--tag", "team=eu", "--dataset", "train.csv", "--alias", "staging", "--json");
        assertEquals(0, r.code(), r.err());
        JsonNode doc = r.json();
        assertEquals("mlops.version/v1", doc.get("schema").asText());
        assertEquals("churn:1", doc.get("ref").asText());
        assertEquals(0.91, doc.get("metrics").get("accuracy").asDouble());
        assertEquals("staging", doc.get("aliases").get(0).asText());
        assertEquals(2, doc.get("lineage").get("datasets").get(0).get("rows").asInt());
        assertEquals("tester", doc.get("createdBy").asText());
    }

    @Test
    void readCommandsHaveJsonAndTables() {
        mlops("register", "--model", "churn", "--path", "model.bin", "--metric", "accuracy=0.8");
        mlops("register", "--model", "churn", "--path", "model.bin", "--metric", "accuracy=0.9");
        assertEquals(0, mlops("alias", "set", "churn", "production", "2", "--reason", "better").code());

        Result list = mlops("models", "list", "--json");
        assertEquals("mlops.models/v1", list.json().get("schema").asText());
        assertEquals(2, list.json().get("models").get(0).get("latest").asInt());
        assertTrue(mlops("models", "list").out().contains("production=2"));

        Result show = mlops("models", "show", "churn", "--json");
        assertEquals("mlops.model/v1", show.json().get("schema").asText());
        assertEquals(2, show.json().get("versions").size());
        assertTrue(mlops("models", "show", "churn@production").out().contains("churn:2"));

        Result search = mlops("models", "search", "--metric", "accuracy>0.85", "--json");
        assertEquals(1, search.json().get("versions").size());

        Result alias = mlops("alias", "get", "churn", "production", "--json");
        assertEquals(2, alias.json().get("version").asInt());
        assertEquals("better", alias.json().get("reason").asText());

        Result audit = mlops("audit", "--json");
        List<String> lines = audit.out().lines().toList();
        assertEquals(4, lines.size(), audit.out());
        assertTrue(lines.get(3).contains("\"action\":\"set-alias\""));
        assertEquals(0, mlops("audit", "--verify").code());
    }

    @Test
    void downloadVerifiesAndWritesTheFiles() throws IOException {
        mlops("register", "--model", "churn", "--path", "model.bin");
        Result r = mlops("download", "churn:1", "-o", "out", "--json");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.json().get("verified").asBoolean());
        assertEquals("weights", Files.readString(work.resolve("out/model.bin")));
    }

    @Test
    void badInputExitsTwoNamingTheField() {
        assertError(mlops("register", "--model", "../x", "--path", "model.bin"), 2, "model:");
        assertError(mlops("register", "--model", "", "--path", "model.bin"), 2, "model:");
        assertError(mlops("register", "--model", "m", "--path", "missing.bin"), 2, "files:");
        assertError(mlops("register", "--model", "m", "--path", "model.bin", "--metric", "accuracy=NaN"), 2, "metrics.accuracy:");
        assertError(mlops("register", "--model", "m", "--path", "model.bin", "--metric", "accuracy=high"), 2, "metrics.accuracy:");
        assertError(mlops("register", "--model", "m", "--path", "model.bin", "--tag", "novalue"), 2, "--tag:");
        assertError(mlops("register", "--model", "m", "--path", "model.bin", "--registry", "ftp://x"), 2, "registry:");
        assertError(mlops("register", "--path", "model.bin"), 2, "--model");
        assertError(mlops("alias", "set", "m", "Prod!", "1"), 2, "alias:");
    }

    @Test
    void unknownThingsExitThree() {
        assertError(mlops("models", "show", "ghost"), 3, "model: 'ghost' is not registered");
        mlops("register", "--model", "churn", "--path", "model.bin");
        assertError(mlops("alias", "get", "churn", "production"), 3, "alias:");
        assertError(mlops("download", "churn:7"), 3, "version:");
    }

    @Test
    void conflictsExitFour() {
        mlops("register", "--model", "churn", "--path", "model.bin");
        mlops("register", "--model", "churn", "--path", "model.bin");
        mlops("alias", "set", "churn", "production", "1");
        assertError(mlops("alias", "set", "churn", "production", "2", "--expect", "2"), 4, "points at version 1");
        assertError(mlops("archive", "churn", "1"), 4, "production");
        assertEquals(0, mlops("alias", "set", "churn", "production", "2", "--expect", "1").code());
    }

    @Test
    void printsKubernetesManifestsForARegisteredVersion() {
        mlops("register", "--model", "churn", "--path", "model.bin");
        Result r = mlops("deploy", "manifest", "churn:1", "--image", "registry.example/mlops:0.1.0", "--pod-registry", "file:/models");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("kind: Deployment") && r.out().contains("kind: Service"), r.out());
        assertError(mlops("deploy", "manifest", "churn:1", "--image", "x", "--replicas", "0"), 2, "replicas:");
    }

    @Test
    void unwritableRegistryExitsOneNamingThePath() {
        Result r = mlops("register", "--model", "m", "--path", "model.bin", "--registry", "/proc/mlops-registry");
        assertError(r, 1, "/proc/mlops-registry");
    }

    @Test
    void azureRegistryWithoutCredentialsNamesTheVariable() {
        Result r = mlops("models", "list", "--registry", "azblob://models/prod");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("AZURE_STORAGE_CONNECTION_STRING"), r.err());
    }

    @Test
    void unreachableAzureStorageExitsOneNamingTheEndpointButNoSecret() {
        String key = "c2VjcmV0LWtleS10aGF0LW11c3Qtbm90LWxlYWs=";
        env.put("AZURE_STORAGE_CONNECTION_STRING", "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=" + key
                + ";BlobEndpoint=http://127.0.0.1:1/devstoreaccount1;");
        Result r = mlops("models", "list", "--registry", "azblob://models/prod");
        assertError(r, 1, "127.0.0.1:1");
        assertFalse(r.err().contains(key) || r.out().contains(key), r.err());
        assertFalse(r.err().contains("AccountKey="), r.err());
    }

    @ParameterizedTest
    @ValueSource(strings = {"register", "models", "alias", "download", "archive", "audit", "demo"})
    void everyCommandHasHelp(String command) {
        Result r = mlops(command, "--help");
        assertEquals(0, r.code());
        assertTrue(r.out().startsWith("Usage: mlops " + command), r.out());
    }

    @Test
    void topLevelHelpListsExitCodes() {
        Result r = mlops("--help");
        assertTrue(r.out().contains("4   conflict"), r.out());
    }

    private static void assertError(Result r, int code, String fragment) {
        assertEquals(code, r.code(), r.err() + r.out());
        assertTrue(r.err().contains(fragment), "stderr should contain '" + fragment + "': " + r.err());
        assertFalse(r.err().contains("\tat "), "no stack traces for users: " + r.err());
    }
}
