package dev.mlops.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.error.InvalidInputException;
import dev.mlops.error.NotFoundException;
import dev.mlops.json.Json;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Traffic splitting inside the server: canary weights, header pinning, sticky cohorts, shadow, runtime updates. */
class TrafficTest {
    @TempDir
    Path dir;

    ModelServer start(TrafficPolicy policy, LogSettings log, int... versions) {
        ServerConfig.Builder b = ServerConfig.builder().optPort(0).optPolicy(policy).optLog(log).optThreads(4);
        for (int v : versions) {
            b.addModel(TestModels.spec(dir, "churn", v));
        }
        ModelServer server = ModelServer.start(b.build(), TestModels.linearByFolder());
        server.awaitReady(Duration.ofSeconds(10));
        return server;
    }

    static String version(Http.Response r) {
        assertEquals(200, r.status(), r.body());
        return r.json().get("model_version").asText();
    }

    @Test
    void canaryWeightIsRespectedOverTwoThousandRequests() throws Exception {
        TrafficPolicy policy = TrafficPolicy.primaryOnly("churn", 1).withCanary(2, 20).withSeed(42);
        try (ModelServer server = start(policy, null, 1, 2)) {
            Http http = new Http(server);
            Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();
            ExecutorService pool = Executors.newFixedThreadPool(8);
            int n = 2000;
            CountDownLatch done = new CountDownLatch(n);
            for (int i = 0; i < n; i++) {
                pool.execute(() -> {
                    try {
                        counts.computeIfAbsent(version(http.post("/v2/models/churn/infer", Http.row(1, 2, 3))), k -> new AtomicInteger()).incrementAndGet();
                    } finally {
                        done.countDown();
                    }
                });
            }
            assertTrue(done.await(60, TimeUnit.SECONDS));
            pool.shutdown();
            int canary = counts.getOrDefault("2", new AtomicInteger()).get();
            assertEquals(n, canary + counts.get("1").get());
            double sigma = Math.sqrt(n * 0.2 * 0.8);
            assertEquals(n * 0.2, canary, 4 * sigma, "canary share of " + n + ": " + canary);
        }
    }

    @Test
    void theSameSeedGivesTheSameSequenceOfDecisions() {
        TrafficPolicy policy = TrafficPolicy.primaryOnly("churn", 1).withCanary(2, 30).withSeed(7);
        TrafficRouter a = new TrafficRouter(List.of(policy));
        TrafficRouter b = new TrafficRouter(List.of(policy));
        int canary = 0;
        int n = 100_000;
        for (int i = 0; i < n; i++) {
            Routing ra = a.route("churn", null, h -> null);
            assertEquals(ra, b.route("churn", null, h -> null));
            canary += ra.version() == 2 ? 1 : 0;
        }
        assertEquals(0.3, canary / (double) n, 0.01);
        TrafficRouter other = new TrafficRouter(List.of(policy.withSeed(8)));
        String first = sequence(new TrafficRouter(List.of(policy)), 64);
        assertEquals(first, sequence(new TrafficRouter(List.of(policy)), 64));
        assertNotEquals(first, sequence(other, 64));
    }

    private static String sequence(TrafficRouter router, int n) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) {
            b.append(router.route("churn", null, h -> null).version());
        }
        return b.toString();
    }

    @Test
    void weightsZeroAndHundredAreExact() {
        TrafficRouter none = new TrafficRouter(List.of(TrafficPolicy.primaryOnly("churn", 1).withCanary(2, 0)));
        TrafficRouter all = new TrafficRouter(List.of(TrafficPolicy.primaryOnly("churn", 1).withCanary(2, 100)));
        for (int i = 0; i < 10_000; i++) {
            assertEquals(1, none.route("churn", null, h -> null).version());
            assertEquals(2, all.route("churn", null, h -> null).version());
        }
    }

    @Test
    void pinHeaderChoosesTheVersionWhateverTheWeights() {
        TrafficPolicy policy = TrafficPolicy.primaryOnly("churn", 1).withCanary(2, 50);
        try (ModelServer server = start(policy, null, 1, 2, 3)) {
            Http http = new Http(server);
            for (int i = 0; i < 50; i++) {
                assertEquals("2", version(http.post("/v2/models/churn/infer", Http.row(1, 2, 3), "x-model-version", "2")));
                assertEquals("1", version(http.post("/v2/models/churn/infer", Http.row(1, 2, 3), "X-Model-Version", "1")));
            }
            assertEquals("3", version(http.post("/v2/models/churn/infer", Http.row(1, 2, 3), "x-model-version", "3")),
                    "any loaded version can be pinned");
            Http.Response missing = http.post("/v2/models/churn/infer", Http.row(1, 2, 3), "x-model-version", "9");
            assertEquals(404, missing.status());
            assertEquals("version: '9 (header x-model-version)' of model churn is not served; served versions: 1, 2, 3", missing.error());
        }
    }

    @Test
    void cohortHeaderSendsEachCohortToOneSideConsistently() {
        TrafficPolicy policy = TrafficPolicy.primaryOnly("churn", 1).withCanary(2, 30).withCohortHeader("x-cohort").withSeed(3);
        try (ModelServer server = start(policy, null, 1, 2)) {
            Http http = new Http(server);
            Map<String, String> side = new HashMap<>();
            int users = 300;
            for (int round = 0; round < 3; round++) {
                for (int u = 0; u < users; u++) {
                    String v = version(http.post("/v2/models/churn/infer", Http.row(1, 2, 3), "x-cohort", "user-" + u));
                    String before = side.putIfAbsent("user-" + u, v);
                    if (before != null) {
                        assertEquals(before, v, "user-" + u + " stays on one side");
                    }
                }
            }
            long canary = side.values().stream().filter("2"::equals).count();
            assertEquals(users * 0.3, canary, 4 * Math.sqrt(users * 0.21), "cohort share");
        }
        // raising the weight keeps every canary cohort on the canary (buckets are fixed, the threshold moves)
        TrafficRouter at30 = new TrafficRouter(List.of(policy));
        TrafficRouter at60 = new TrafficRouter(List.of(policy.withCanary(2, 60)));
        for (int u = 0; u < 2000; u++) {
            String cohort = "user-" + u;
            if (at30.route("churn", null, h -> h.equals("x-cohort") ? cohort : null).version() == 2) {
                assertEquals(2, at60.route("churn", null, h -> h.equals("x-cohort") ? cohort : null).version());
            }
        }
    }

    @Test
    void shadowScoresTooAnswersFromPrimaryAndLogsBoth() throws Exception {
        Path logs = dir.resolve("logs");
        TrafficPolicy policy = TrafficPolicy.primaryOnly("churn", 1).withShadow(2);
        int n = 50;
        try (ModelServer server = start(policy, LogSettings.defaults(logs), 1, 2)) {
            Http http = new Http(server);
            for (int i = 0; i < n; i++) {
                Http.Response r = http.post("/v2/models/churn/infer", "{\"id\":\"q-" + i + "\",\"inputs\":[{\"name\":\"x\",\"shape\":[1,3],"
                        + "\"datatype\":\"FP32\",\"data\":[" + i + ",1,0]}]}");
                assertEquals("1", version(r), "the answer comes from primary");
                assertEquals(TestModels.Linear.churn(1, i, 1, 0), r.json().get("outputs").get(0).get("data").get(1).asDouble(), 1e-12);
            }
            // shadow scoring runs off the request thread; wait until its metrics show all of it
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (MetricsTest.parse(server.metricsText()).value("mlops_serve_requests_total", "version", "2") < n && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertEquals(n, MetricsTest.parse(server.metricsText()).value("mlops_serve_requests_total", "model", "churn", "version", "2", "code", "200"));
        }
        List<JsonNode> lines = InferenceLogTest.lines(logs);
        assertEquals(2 * n, lines.size());
        Map<String, List<JsonNode>> byId = lines.stream().collect(Collectors.groupingBy(l -> l.get("id").asText()));
        assertEquals(n, byId.size());
        for (int i = 0; i < n; i++) {
            List<JsonNode> pair = byId.get("q-" + i);
            JsonNode primary = pair.stream().filter(l -> l.get("route").asText().equals("primary")).findFirst().orElseThrow();
            JsonNode shadow = pair.stream().filter(l -> l.get("route").asText().equals("shadow")).findFirst().orElseThrow();
            assertEquals(1, primary.get("version").asInt());
            assertEquals(2, shadow.get("version").asInt());
            assertEquals("mirror", shadow.get("selector").asText());
            assertEquals(primary.get("inputs"), shadow.get("inputs"));
            assertEquals(TestModels.Linear.churn(2, i, 1, 0), shadow.get("outputs").get(0).get(1).asDouble(), 1e-12);
        }
    }

    @Test
    void policyUpdatesAreAtomicAndChecked() {
        try (ModelServer server = start(TrafficPolicy.primaryOnly("churn", 1), null, 1, 2)) {
            Http http = new Http(server);
            assertEquals("1", version(http.post("/v2/models/churn/infer", Http.row(1, 2, 3))));
            TrafficPolicy previous = server.updatePolicy(server.policy("churn").withPrimary(2));
            assertEquals(1, previous.primary());
            assertEquals("2", version(http.post("/v2/models/churn/infer", Http.row(1, 2, 3))));
            assertEquals("primary", http.get("/v2/models/churn/versions/2").json().get("parameters").get("role").asText());

            InvalidInputException notLoaded = assertThrows(InvalidInputException.class,
                    () -> server.updatePolicy(server.policy("churn").withCanary(5, 10)));
            assertEquals("traffic.churn: version 5 (canary) is not loaded (loaded: 1, 2); load it first (POST /admin/versions) or pick a loaded version",
                    notLoaded.getMessage());
            assertEquals(2, server.policy("churn").primary(), "a rejected update changes nothing");
            assertThrows(NotFoundException.class, () -> server.updatePolicy(TrafficPolicy.primaryOnly("other", 1)));
        }
    }

    @Test
    void policyValidationNamesEveryProblem() {
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> new TrafficPolicy("churn", 3, 3, 130, 3, "Bad Header", "authorization", 0));
        assertEquals("traffic.canaryWeight: 130 not in 0..100; give a percentage; "
                + "traffic.canary: 3 is also the primary; pick another version or leave it out; "
                + "traffic.shadow: 3 is also the primary; a shadow must be another version; "
                + "traffic.pinHeader: 'bad header' is not a header name; use letters, digits and '-'; "
                + "traffic: authorization, cookie and proxy-authorization cannot select traffic; use e.g. x-cohort", e.getMessage());
        assertEquals("traffic.canaryWeight: 10 without a canary version; set traffic.canary or weight 0",
                assertThrows(InvalidInputException.class, () -> new TrafficPolicy("churn", 1, null, 10, null, null, null, 0)).getMessage());
    }

    @Test
    void policyRoundTripsThroughJson() {
        TrafficPolicy policy = TrafficPolicy.primaryOnly("churn", 3).withCanary(4, 25).withShadow(5).withCohortHeader("X-Cohort").withSeed(9);
        TrafficPolicy back = Json.fromBytes(Json.toBytes(policy), TrafficPolicy.class);
        assertEquals(policy, back);
        assertEquals("x-cohort", back.cohortHeader());
        TrafficPolicy minimal = Json.fromBytes("{\"model\":\"churn\",\"primary\":2}".getBytes(), TrafficPolicy.class);
        assertEquals(TrafficPolicy.primaryOnly("churn", 2), minimal);
        assertNull(minimal.canary());
        assertEquals(TrafficPolicy.DEFAULT_PIN_HEADER, minimal.pinHeader());
    }

    @Test
    void startupRejectsPoliciesNamingUnloadedVersions() {
        ServerConfig config = ServerConfig.builder().optPort(0).addModel(TestModels.spec(dir, "churn", 1)).addModel(TestModels.spec(dir, "churn", 2))
                .optPolicy(TrafficPolicy.primaryOnly("churn", 1).withShadow(7)).build();
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> ModelServer.start(config, TestModels.linearByFolder()));
        assertEquals("traffic.churn: version 7 (shadow) is not loaded (loaded: 1, 2); load it at startup or pick a loaded version", e.getMessage());
        ServerConfig noPolicy = ServerConfig.builder().optPort(0).addModel(TestModels.spec(dir, "churn", 1)).addModel(TestModels.spec(dir, "churn", 2)).build();
        assertEquals("traffic.churn: versions 1, 2 are served but no policy says which is primary; add one",
                assertThrows(InvalidInputException.class, () -> ModelServer.start(noPolicy, TestModels.linearByFolder())).getMessage());
    }
}
