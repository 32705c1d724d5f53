package dev.mlops.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.json.Json;
import dev.mlops.model.ModelSchema;
import dev.mlops.model.Predictor;
import dev.mlops.serve.ModelServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
import picocli.CommandLine;

/** `mlops serve` against a temporary registry, with a real server on 127.0.0.1 and a real HTTP client. */
class ServeCommandTest {
    @TempDir
    Path work;
    final Map<String, String> env = new HashMap<>();
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final ByteArrayOutputStream err = new ByteArrayOutputStream();
    final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    /** p(yes) = sigmoid(x0 + x1 + bias) with bias = the version number read from the downloaded weights file. */
    record Linear(double bias, ModelSchema schema) implements Predictor {
        static Linear load(Path dir) {
            try {
                ModelSchema schema = ModelSchema.read(dir);
                return new Linear(Double.parseDouble(Files.readString(dir.resolve("weights.txt")).trim()), schema);
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        }

        @Override
        public double[][] predict(float[][] rows) {
            double[][] p = new double[rows.length][];
            for (int r = 0; r < rows.length; r++) {
                double y = 1 / (1 + Math.exp(-(rows[r][0] + rows[r][1] + bias)));
                p[r] = new double[] {1 - y, y};
            }
            return p;
        }
    }

    Context context() {
        return new Context(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), env, work,
                Clock.systemUTC());
    }

    int mlops(String... args) {
        return Main.run(context(), args);
    }

    @BeforeEach
    void registerTwoVersions() throws IOException {
        env.put("MLOPS_ACTOR", "tester");
        for (int v = 1; v <= 2; v++) {
            Path model = work.resolve("model-" + v);
            new ModelSchema(ModelSchema.CLASSIFICATION, List.of("a", "b"), "y", List.of("no", "yes")).write(model);
            Files.writeString(model.resolve("weights.txt"), Integer.toString(v));
            assertEquals(0, mlops("register", "--model", "churn", "--path", model.toString(), "--format", "test"), err.toString());
        }
        assertEquals(0, mlops("alias", "set", "churn", "production", "1", "--reason", "test"), err.toString());
    }

    ServeCommand command(String... args) {
        ServeCommand command = new ServeCommand(context());
        new CommandLine(command).parseArgs(args);
        command.loader = Linear::load;
        return command;
    }

    JsonNode infer(ModelServer server, String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.baseUri() + path)).POST(HttpRequest.BodyPublishers.ofString(
                "{\"inputs\":[{\"name\":\"x\",\"shape\":[1,2],\"datatype\":\"FP32\",\"data\":[0.5,-0.5]}]}"));
        for (int i = 0; i + 1 < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        HttpResponse<String> r = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return Json.mapper().readTree(r.body());
    }

    @Test
    void servesTheAliasedVersionWithACanaryFromTheRegistry() throws Exception {
        try (ModelServer server = command("--model", "churn@production", "--canary", "churn:2", "--canary-weight", "50", "--port", "0",
                "--log-dir", "logs").start()) {
            assertTrue(out.toString().contains("Serving churn:1 (primary), churn:2 (canary 50%) at http://127.0.0.1:" + server.port()), out.toString());
            assertTrue(Files.isRegularFile(work.resolve(".mlops/serve-cache/churn/1/weights.txt")), "downloaded into the cache");
            assertTrue(Files.isRegularFile(work.resolve(".mlops/serve-cache/churn/2/schema.json")));
            JsonNode pinned = infer(server, "/v2/models/churn/infer", "x-model-version", "2");
            assertEquals("2", pinned.get("model_version").asText());
            assertEquals(1 / (1 + Math.exp(-2)), pinned.get("outputs").get(0).get("data").get(1).asDouble(), 1e-12);
            int canary = 0;
            for (int i = 0; i < 200; i++) {
                canary += infer(server, "/v2/models/churn/infer").get("model_version").asText().equals("2") ? 1 : 0;
            }
            assertEquals(100, canary, 30, "about half go to the canary");
            HttpResponse<String> meta = client.send(HttpRequest.newBuilder(URI.create(server.baseUri() + "/v2/models/churn")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals("mlops_test", Json.mapper().readTree(meta.body()).get("platform").asText());
        }
        assertTrue(Files.list(work.resolve("logs")).findAny().isPresent(), "requests were logged");
    }

    @Test
    void adminTokenFromTheEnvironmentOpensTheAdminListener() throws Exception {
        env.put("MLOPS_ADMIN_TOKEN", "0123456789abcdef0123456789abcdef");
        try (ModelServer server = command("--model", "churn:1", "--shadow", "churn:2", "--port", "0", "--no-log", "--json").start()) {
            JsonNode started = Json.mapper().readTree(out.toString().lines().filter(l -> l.startsWith("{")).findFirst().orElseThrow());
            assertEquals("mlops.serve/v1", started.get("schema").asText());
            assertEquals(server.adminPort(), started.get("adminPort").asInt());
            assertEquals(2, started.get("policies").get(0).get("shadow").asInt());
            HttpResponse<String> policies = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.adminPort() + "/admin/traffic"))
                    .header("Authorization", "Bearer 0123456789abcdef0123456789abcdef").build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, policies.statusCode(), policies.body());
            assertEquals("1", infer(server, "/v2/models/churn/infer").get("model_version").asText(), "shadow never answers");
        }
        assertTrue(!err.toString().contains("0123456789abcdef"), "the token is never printed");
    }

    @Test
    void aTakenPortIsAClearErrorWithExitCode2() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            int port = taken.getLocalPort();
            int code = mlops("serve", "--model", "churn@production", "--port", Integer.toString(port), "--no-log");
            assertEquals(2, code);
            assertTrue(err.toString().contains("mlops: error: port: 127.0.0.1:" + port + " is already in use"), err.toString());
            assertTrue(err.toString().contains("--port N, or 0 for any free port"), err.toString());
        }
    }

    @Test
    void aCanaryOfAnotherModelIsRejected() {
        assertEquals(2, mlops("serve", "--model", "churn@production", "--canary", "other:1", "--port", "0", "--no-log"));
        assertTrue(err.toString().contains("canary: other:1 is not a version of a served model"), err.toString());
    }

    @Test
    void syntheticModelServesWithoutARegistry() throws Exception {
        try (ModelServer server = command("--synthetic", "--port", "0", "--no-log").start()) {
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(server.baseUri() + "/v2/models/bench/infer"))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"inputs\":[{\"name\":\"x\",\"shape\":[1,10],\"datatype\":\"FP32\",\"data\":[1,2,3,4,5,6,7,8,9,10]}]}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode(), r.body());
        }
    }
}
