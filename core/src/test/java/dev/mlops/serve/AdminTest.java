package dev.mlops.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.error.InvalidInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The admin listener: 127.0.0.1 only, bearer token required, policy swaps at runtime. */
class AdminTest {
    static final String TOKEN = "s3cret-admin-token-0123456789";

    @TempDir
    Path dir;
    ModelServer server;
    Http admin;
    Http http;
    final List<String> events = new ArrayList<>();

    @BeforeEach
    void start() {
        server = ModelServer.start(ServerConfig.builder().optPort(0).optAdmin(0, AdminToken.of(TOKEN))
                .addModel(TestModels.spec(dir, "churn", 1)).addModel(TestModels.spec(dir, "churn", 2))
                .optPolicy(TrafficPolicy.primaryOnly("churn", 1)).optEvents(e -> {
                    synchronized (events) {
                        events.add(e);
                    }
                }).build(), TestModels.linearByFolder());
        server.awaitReady(Duration.ofSeconds(10));
        admin = new Http("http://127.0.0.1:" + server.adminPort());
        http = new Http(server);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void missingOrWrongTokenIs401() {
        Http.Response none = admin.get("/admin/traffic");
        assertEquals(401, none.status());
        assertEquals("Bearer realm=\"mlops-serve-admin\"", none.headers().firstValue("www-authenticate").orElse(""));
        assertEquals("admin: missing or wrong bearer token; send Authorization: Bearer $MLOPS_ADMIN_TOKEN (the token the server was started with)",
                none.error());
        assertEquals(401, admin.get("/admin/traffic", "Authorization", "Bearer wrong").status());
        assertEquals(401, admin.get("/admin/traffic", "Authorization", "Bearer " + TOKEN + "x").status());
        assertEquals(401, admin.get("/admin/traffic", "Authorization", TOKEN).status(), "the Bearer scheme is required");
        assertEquals(401, admin.post("/admin/traffic", "{\"model\":\"churn\",\"primary\":2}", "Authorization", "Bearer nope").status());
        assertEquals(401, admin.get("/admin/other").status(), "auth is checked before routing");
        assertEquals(1, server.policy("churn").primary(), "nothing changed");
        assertFalse(none.body().contains(TOKEN));
    }

    @Test
    void getListsPoliciesAndPostReplacesOne() {
        Http.Response list = admin.get("/admin/traffic", "Authorization", "Bearer " + TOKEN);
        assertEquals(200, list.status(), list.body());
        assertEquals(1, list.json().get("policies").get(0).get("primary").asInt());

        Http.Response update = admin.post("/admin/traffic", "{\"model\":\"churn\",\"primary\":1,\"canary\":2,\"canaryWeight\":100}",
                "Authorization", "Bearer " + TOKEN);
        assertEquals(200, update.status(), update.body());
        JsonNode body = update.json();
        assertEquals(1, body.get("previous").get("primary").asInt());
        assertEquals(2, body.get("policy").get("canary").asInt());
        assertEquals("2", http.post("/v2/models/churn/infer", Http.row(1, 2, 3)).json().get("model_version").asText(),
                "the new policy applies to the next request");
        synchronized (events) {
            assertTrue(events.stream().anyMatch(e -> e.equals("traffic churn: primary 1 -> primary 1, canary 2 at 100%")), events.toString());
            assertTrue(events.stream().noneMatch(e -> e.contains(TOKEN)));
        }
    }

    @Test
    void invalidPoliciesAre400And404WithEveryProblem() {
        Http.Response invalid = admin.post("/admin/traffic", "{\"model\":\"churn\",\"primary\":1,\"canary\":2,\"canaryWeight\":130}",
                "Authorization", "Bearer " + TOKEN);
        assertEquals(400, invalid.status());
        assertTrue(invalid.error().startsWith("traffic.canaryWeight: 130 not in 0..100; give a percentage"), invalid.error());
        Http.Response unloaded = admin.post("/admin/traffic", "{\"model\":\"churn\",\"primary\":9}", "Authorization", "Bearer " + TOKEN);
        assertEquals(400, unloaded.status());
        assertEquals("traffic.churn: version 9 (primary) is not loaded (loaded: 1, 2); load it first (POST /admin/versions) or pick a loaded version", unloaded.error());
        Http.Response unknown = admin.post("/admin/traffic", "{\"model\":\"other\",\"primary\":1}", "Authorization", "Bearer " + TOKEN);
        assertEquals(404, unknown.status());
        Http.Response typo = admin.post("/admin/traffic", "{\"model\":\"churn\",\"primary\":1,\"canary\":2,\"canaryweight\":50}",
                "Authorization", "Bearer " + TOKEN);
        assertEquals(400, typo.status());
        assertEquals("traffic.canaryweight: unknown field(s); a policy has model, primary, canary, canaryWeight, shadow, pinHeader, cohortHeader, seed",
                typo.error());
        Http.Response notJson = admin.post("/admin/traffic", "primary=2", "Authorization", "Bearer " + TOKEN);
        assertEquals(400, notJson.status());
        Http.Response method = admin.method("DELETE", "/admin/traffic", null, "Authorization", "Bearer " + TOKEN);
        assertEquals(405, method.status());
        assertEquals(1, server.policy("churn").primary());
    }

    @Test
    void adminListenerIsBoundToLoopbackOnly() {
        assertTrue(server.adminPort() > 0);
        assertTrue(server.adminPort() != server.port());
        assertEquals(404, http.get("/admin/traffic", "Authorization", "Bearer " + TOKEN).status(), "not on the inference listener");
    }

    @Test
    void noTokenMeansNoAdminListener() {
        try (ModelServer plain = ModelServer.start(ServerConfig.builder().optPort(0).addModel(TestModels.spec(dir, "churn", 1)).build(),
                TestModels.linearByFolder())) {
            assertEquals(-1, plain.adminPort());
        }
        assertTrue(AdminToken.fromEnv(Map.of()).isEmpty());
        assertThrows(InvalidInputException.class, () -> AdminToken.fromEnv(Map.of(AdminToken.ENV, "short")));
    }

    @Test
    void tokenIsComparedInConstantTimeAndNeverPrinted() throws IOException {
        AdminToken token = AdminToken.of(TOKEN);
        assertTrue(token.matches("Bearer " + TOKEN));
        assertTrue(token.matches("bearer " + TOKEN));
        assertFalse(token.matches("Bearer " + TOKEN.substring(1)));
        assertFalse(token.matches(null));
        assertFalse(token.matches("Bearer "));
        assertEquals("AdminToken[redacted]", token.toString());
        assertFalse(server.config().toString().contains(TOKEN));
        // the comparison is MessageDigest.isEqual over SHA-256 digests (equal lengths whatever is sent), never String.equals
        String source = Files.readString(Path.of("src/main/java/dev/mlops/serve/AdminToken.java"));
        assertTrue(source.contains("MessageDigest.isEqual(sha256(presented), digest)"));
        assertFalse(source.contains(".equals(presented"));
    }
}
