package dev.mlops.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.error.NotFoundException;
import dev.mlops.model.Predictor;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loading and unloading versions in a running server through POST/GET /admin/versions and DELETE /admin/versions/{model}/{version}. */
class VersionsAdminTest {
    static final String TOKEN = "versions-admin-token-0123456789";
    static final String[] AUTH = {"Authorization", "Bearer " + TOKEN};
    static final int BROKEN = 6;

    @TempDir
    Path dir;
    ModelServer server;
    Http admin;
    Http http;
    final List<String> events = new ArrayList<>();
    /** Held while a test wants a load to stay in progress. */
    volatile CountDownLatch slowLoad = new CountDownLatch(0);
    final AtomicInteger loads = new AtomicInteger();

    /** Versions 1..6 of churn exist; 6 fails to load; anything else is unknown, as a registry would say. */
    final VersionSource source = new VersionSource() {
        @Override
        public ModelSpec resolve(String model, int version) {
            if (!model.equals("churn") || version > BROKEN) {
                throw new NotFoundException("version: " + model + ":" + version + " does not exist (latest is 6)");
            }
            return TestModels.spec(dir, model, version);
        }

        @Override
        public Predictor load(ModelSpec spec) {
            loads.incrementAndGet();
            try {
                slowLoad.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (spec.version() == BROKEN) {
                throw new IllegalStateException("model.onnx: truncated file");
            }
            return TestModels.linearByFolder().load(spec.dir());
        }
    };

    @BeforeEach
    void start() {
        server = ModelServer.start(ServerConfig.builder().optPort(0).optAdmin(0, AdminToken.of(TOKEN))
                .addModel(TestModels.spec(dir, "churn", 1)).optEvents(e -> {
                    synchronized (events) {
                        events.add(e);
                    }
                }).build(), TestModels.linearByFolder(), source);
        server.awaitReady(Duration.ofSeconds(10));
        admin = new Http("http://127.0.0.1:" + server.adminPort());
        http = new Http(server);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    /** Posts a load and polls GET /admin/versions until the version is no longer loading; returns its entry. */
    JsonNode load(int version) {
        Http.Response r = admin.post("/admin/versions", "{\"model\":\"churn\",\"version\":" + version + "}", AUTH);
        assertTrue(r.status() == 202 || r.status() == 200, r.status() + " " + r.body());
        for (int i = 0; i < 1000; i++) {
            JsonNode entry = entry(version);
            if (entry != null && !entry.get("state").asText().equals("loading")) {
                return entry;
            }
            sleep(10);
        }
        throw new AssertionError("churn:" + version + " still loading");
    }

    JsonNode entry(int version) {
        Http.Response list = admin.get("/admin/versions", AUTH);
        assertEquals(200, list.status(), list.body());
        assertEquals("mlops.served-versions/v1", list.json().get("schema").asText());
        for (JsonNode v : list.json().get("versions")) {
            if (v.get("version").asInt() == version) {
                return v;
            }
        }
        return null;
    }

    int answeringVersion() {
        Http.Response r = http.post("/v2/models/churn/infer", Http.row(1, 2, 3));
        assertEquals(200, r.status(), r.body());
        return r.json().get("model_version").asInt();
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Sends requests without pause from two threads until stopped; counts answers that are not 200 (or no answer). */
    final class Client implements AutoCloseable {
        final AtomicBoolean running = new AtomicBoolean(true);
        final AtomicLong sent = new AtomicLong();
        final AtomicLong failed = new AtomicLong();
        final List<String> failures = new ArrayList<>();
        final List<Thread> threads = new ArrayList<>();
        final java.util.Map<Integer, AtomicLong> byVersion = new java.util.concurrent.ConcurrentHashMap<>();

        Client() {
            for (int t = 0; t < 2; t++) {
                Thread thread = new Thread(() -> {
                    Http own = new Http(server);
                    while (running.get()) {
                        sent.incrementAndGet();
                        try {
                            Http.Response r = own.post("/v2/models/churn/infer", Http.row(1, 2, 3));
                            if (r.status() != 200) {
                                fail(r.status() + " " + r.body());
                            } else {
                                byVersion.computeIfAbsent(r.json().get("model_version").asInt(), v -> new AtomicLong()).incrementAndGet();
                            }
                        } catch (UncheckedIOException e) {
                            fail(e.getMessage());
                        }
                    }
                });
                thread.start();
                threads.add(thread);
            }
        }

        private void fail(String why) {
            failed.incrementAndGet();
            synchronized (failures) {
                if (failures.size() < 5) {
                    failures.add(why);
                }
            }
        }

        void awaitMore(long requests) {
            long target = sent.get() + requests;
            while (sent.get() < target) {
                sleep(1);
            }
        }

        @Override
        public void close() throws InterruptedException {
            running.set(false);
            for (Thread t : threads) {
                t.join();
            }
        }
    }

    @Test
    void loadsACandidateWhileServingAndRaisesItsWeightWithNoFailedRequest() throws InterruptedException {
        slowLoad = new CountDownLatch(1);
        Client client = new Client();
        try {
            client.awaitMore(50);
            Http.Response accepted = admin.post("/admin/versions", "{\"model\":\"churn\",\"version\":2}", AUTH);
            assertEquals(202, accepted.status(), accepted.body());
            assertEquals("loading", accepted.json().get("state").asText());
            assertEquals(202, admin.post("/admin/versions", "{\"model\":\"churn\",\"version\":2}", AUTH).status(), "asking again while it loads is fine");
            client.awaitMore(50);
            assertTrue(server.isReady(), "production stays ready while a version loads");
            Http.Response early = admin.post("/admin/traffic", "{\"model\":\"churn\",\"primary\":1,\"canary\":2,\"canaryWeight\":10}", AUTH);
            assertEquals(400, early.status());
            assertEquals("traffic.churn: version 2 (canary) is still loading; wait until GET /admin/versions shows it ready", early.error());
            slowLoad.countDown();
            JsonNode ready = load(2);
            assertEquals("ready", ready.get("state").asText());
            assertEquals("other", ready.get("role").asText());
            assertTrue(ready.get("loadMillis").asLong() >= 0);
            assertEquals(1, loads.get(), "loaded once although asked twice");
            client.awaitMore(50);
            for (int weight : new int[] {10, 50, 100}) {
                Http.Response set = admin.post("/admin/traffic", "{\"model\":\"churn\",\"primary\":1,\"canary\":2,\"canaryWeight\":" + weight + "}", AUTH);
                assertEquals(200, set.status(), set.body());
                client.awaitMore(100);
            }
            assertEquals(200, admin.post("/admin/traffic", "{\"model\":\"churn\",\"primary\":2}", AUTH).status());
            client.awaitMore(50);
            Http.Response unloaded = admin.method("DELETE", "/admin/versions/churn/1", null, AUTH);
            assertEquals(200, unloaded.status(), unloaded.body());
            assertEquals("unloaded", unloaded.json().get("state").asText());
            client.awaitMore(100);
        } finally {
            client.close();
        }
        assertEquals(0, client.failed.get(), client.failed + " of " + client.sent + " requests failed: " + client.failures);
        assertTrue(client.byVersion.get(2).get() > 100, client.byVersion.toString());
        assertTrue(client.byVersion.get(1).get() > 100, client.byVersion.toString());
        assertEquals(2, answeringVersion());
        assertEquals(404, http.post("/v2/models/churn/versions/1/infer", Http.row(1, 2, 3)).status(), "the old version is gone");
        assertEquals(List.of(2), server.versionStatuses().stream().map(VersionStatus::version).toList());
        String metrics = server.metricsText();
        assertTrue(metrics.contains("mlops_serve_requests_total{model=\"churn\",version=\"2\",code=\"200\"}"), "per-version metrics of the loaded version");
        assertTrue(metrics.contains("mlops_serve_requests_total{model=\"churn\",version=\"1\",code=\"200\"}"), "counters of an unloaded version stay");
        synchronized (events) {
            assertTrue(events.stream().anyMatch(e -> e.startsWith("loaded churn:2 from ") && e.contains("(at runtime")), events.toString());
        }
    }

    @Test
    void unknownVersionIs404AndProductionIsUnaffected() {
        Http.Response unknown = admin.post("/admin/versions", "{\"model\":\"churn\",\"version\":99}", AUTH);
        assertEquals(404, unknown.status());
        assertEquals("version: cannot load churn:99 (version: churn:99 does not exist (latest is 6)); still serving churn 1", unknown.error());
        Http.Response otherModel = admin.post("/admin/versions", "{\"model\":\"fraud\",\"version\":1}", AUTH);
        assertEquals(404, otherModel.status());
        assertEquals("model: 'fraud' is not served (served: churn); load versions of a served model", otherModel.error());
        assertEquals(0, loads.get(), "nothing was downloaded");
        assertEquals(TrafficPolicy.primaryOnly("churn", 1), server.policy("churn"));
        assertEquals(1, answeringVersion());
        assertTrue(server.isReady());
    }

    @Test
    void aLoadThatFailsIsReportedAndChangesNothing() {
        JsonNode failed = load(BROKEN);
        assertEquals("failed", failed.get("state").asText());
        assertEquals("model.onnx: truncated file", failed.get("error").asText());
        assertEquals(1, answeringVersion());
        Http.Response route = admin.post("/admin/traffic", "{\"model\":\"churn\",\"primary\":1,\"canary\":6,\"canaryWeight\":10}", AUTH);
        assertEquals(400, route.status());
        assertTrue(route.error().contains("version 6 (canary) is not loaded (loaded: 1); load it first (POST /admin/versions)"), route.error());
        synchronized (events) {
            assertTrue(events.contains("loading churn:6 failed: model.onnx: truncated file; still serving churn 1"), events.toString());
        }
        assertEquals("ready", load(2).get("state").asText(), "the loader goes on after a failure");
        Http.Response again = admin.post("/admin/versions", "{\"model\":\"churn\",\"version\":2}", AUTH);
        assertEquals(200, again.status(), "a ready version answers 200 at once");
        assertEquals("ready", again.json().get("state").asText());
    }

    @Test
    void wrongTokenIs401OnEveryVersionsEndpoint() {
        String[] wrong = {"Authorization", "Bearer not-the-token-0123456789"};
        assertEquals(401, admin.get("/admin/versions", wrong).status());
        assertEquals(401, admin.post("/admin/versions", "{\"model\":\"churn\",\"version\":2}", wrong).status());
        assertEquals(401, admin.post("/admin/versions", "{\"model\":\"churn\",\"version\":2}").status());
        assertEquals(401, admin.method("DELETE", "/admin/versions/churn/1", null, wrong).status());
        assertEquals(0, loads.get());
        assertEquals(List.of(1), server.versionStatuses().stream().map(VersionStatus::version).toList());
        assertEquals(404, http.post("/admin/versions", "{\"model\":\"churn\",\"version\":2}", AUTH).status(), "not on the inference listener");
    }

    @Test
    void unloadingARoutedVersionIs409() {
        load(2);
        assertEquals(200, admin.post("/admin/traffic", "{\"model\":\"churn\",\"primary\":1,\"canary\":2,\"canaryWeight\":10}", AUTH).status());
        Http.Response canary = admin.method("DELETE", "/admin/versions/churn/2", null, AUTH);
        assertEquals(409, canary.status());
        assertEquals("version: churn:2 is the canary of the traffic policy (primary 1, canary 2 at 10%); move traffic off it first "
                + "(POST /admin/traffic), then unload it", canary.error());
        Http.Response primary = admin.method("DELETE", "/admin/versions/churn/1", null, AUTH);
        assertEquals(409, primary.status());
        assertTrue(primary.error().startsWith("version: churn:1 is the primary of the traffic policy"), primary.error());
        assertEquals(200, admin.post("/admin/traffic", "{\"model\":\"churn\",\"primary\":1,\"shadow\":2}", AUTH).status());
        assertEquals(409, admin.method("DELETE", "/admin/versions/churn/2", null, AUTH).status(), "a shadow is routed to as well");
        assertEquals(200, admin.post("/admin/traffic", "{\"model\":\"churn\",\"primary\":1}", AUTH).status());
        assertEquals(200, admin.method("DELETE", "/admin/versions/churn/2", null, AUTH).status());
        Http.Response gone = admin.method("DELETE", "/admin/versions/churn/2", null, AUTH);
        assertEquals(404, gone.status());
        assertEquals("version: churn:2 is not loaded (loaded: 1)", gone.error());
        assertEquals(1, answeringVersion());
    }

    @Test
    void badRequestsNameTheField() {
        Http.Response noVersion = admin.post("/admin/versions", "{\"model\":\"churn\"}", AUTH);
        assertEquals(400, noVersion.status());
        assertEquals("versions.version: missing; give the registry version to load, e.g. \"version\":5", noVersion.error());
        Http.Response typo = admin.post("/admin/versions", "{\"model\":\"churn\",\"versoin\":2}", AUTH);
        assertEquals(400, typo.status());
        assertEquals("versions.versoin: unknown field(s); send {\"model\":\"churn\",\"version\":5}", typo.error());
        assertEquals(400, admin.post("/admin/versions", "{\"model\":\"churn\",\"version\":\"2\"}", AUTH).status());
        assertEquals(400, admin.post("/admin/versions", "churn:2", AUTH).status());
        assertEquals(404, admin.method("DELETE", "/admin/versions/churn", null, AUTH).status());
        assertEquals(405, admin.method("PUT", "/admin/versions", "{}", AUTH).status());
        assertEquals(405, admin.method("GET", "/admin/versions/churn/1", null, AUTH).status());
    }

    @Test
    void aServerWithoutASourceSaysItCannotLoad() {
        try (ModelServer plain = ModelServer.start(ServerConfig.builder().optPort(0).optAdmin(0, AdminToken.of(TOKEN))
                .addModel(TestModels.spec(dir, "churn", 1)).build(), TestModels.linearByFolder())) {
            plain.awaitReady(Duration.ofSeconds(10));
            Http.Response r = new Http("http://127.0.0.1:" + plain.adminPort()).post("/admin/versions", "{\"model\":\"churn\",\"version\":2}", AUTH);
            assertEquals(501, r.status());
            assertTrue(r.error().startsWith("versions: this server was started without a registry"), r.error());
        }
    }

    @Test
    void anUnloadWaitsForTheRequestsStillUsingTheVersion() throws Exception {
        TestModels.Slow slow = new TestModels.Slow();
        AtomicBoolean closed = new AtomicBoolean();
        VersionSource slowSource = new VersionSource() {
            @Override
            public ModelSpec resolve(String model, int version) {
                return TestModels.spec(dir, model, version);
            }

            @Override
            public Predictor load(ModelSpec spec) {
                return new Predictor() {
                    @Override
                    public dev.mlops.model.ModelSchema schema() {
                        return slow.schema();
                    }

                    @Override
                    public double[][] predict(float[][] rows) {
                        return slow.predict(rows);
                    }

                    @Override
                    public void close() {
                        closed.set(true);
                    }
                };
            }
        };
        try (ModelServer s = ModelServer.start(ServerConfig.builder().optPort(0).addModel(TestModels.spec(dir, "churn", 1)).build(),
                TestModels.linearByFolder(), slowSource)) {
            s.awaitReady(Duration.ofSeconds(10));
            s.loadVersion("churn", 2);
            while (s.versionStatus("churn", 2).state().equals("loading")) {
                sleep(5);
            }
            Http h = new Http(s);
            Thread pinned = new Thread(() -> assertEquals(200, h.post("/v2/models/churn/versions/2/infer", Http.row(1, 2, 3)).status()));
            pinned.start();
            assertTrue(slow.started.await(10, TimeUnit.SECONDS));
            assertEquals(VersionStatus.UNLOADED, s.unloadVersion("churn", 2).state());
            assertEquals(404, h.post("/v2/models/churn/versions/2/infer", Http.row(1, 2, 3)).status(), "no new request reaches it");
            sleep(50);
            assertFalse(closed.get(), "not closed while a request still uses it");
            slow.release.countDown();
            pinned.join();
            for (int i = 0; i < 500 && !closed.get(); i++) {
                sleep(10);
            }
            assertTrue(closed.get(), "closed once its last request finished");
            assertNotEquals(-1, s.port());
        }
    }
}
