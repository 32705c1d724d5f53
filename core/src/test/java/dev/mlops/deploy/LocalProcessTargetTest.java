package dev.mlops.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mlops.error.ConflictException;
import dev.mlops.error.InvalidInputException;
import dev.mlops.error.NotFoundException;
import dev.mlops.json.Json;
import dev.mlops.model.ModelSchema;
import dev.mlops.model.Predictor;
import dev.mlops.serve.AdminToken;
import dev.mlops.serve.ModelServer;
import dev.mlops.serve.ModelSpec;
import dev.mlops.serve.ServerConfig;
import dev.mlops.serve.TrafficPolicy;
import dev.mlops.serve.VersionSource;
import dev.mlops.serve.VersionStatus;
import java.net.URI;
import java.time.Instant;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalProcessTargetTest {
    @TempDir
    Path dir;
    final ServerClient client = new ServerClient(Duration.ofSeconds(2));

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** A one-file Java program answering 200 on every path: started with `java Server.java PORT`. */
    Path fakeServer() throws IOException {
        return Files.writeString(dir.resolve("Server.java"), """
                import com.sun.net.httpserver.HttpServer;
                import java.net.InetSocketAddress;
                public class Server {
                    public static void main(String[] a) throws Exception {
                        HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", Integer.parseInt(a[0])), 0);
                        s.createContext("/", ex -> { ex.sendResponseHeaders(200, -1); ex.close(); });
                        s.start();
                    }
                }
                """);
    }

    LocalProcessTarget target(List<String> command, Duration timeout) {
        return new LocalProcessTarget(dir.resolve("deployments"), command, timeout, null, Clock.systemUTC());
    }

    @Test
    void failedCandidateDeploysNeverTouchTheRunningProduction() throws IOException {
        try (StubServer production = new StubServer()) {
            int productionPort = production.url().getPort();
            LocalProcessTarget target = target(List.of("sleep", "30"), Duration.ofMillis(800));
            ConflictException taken = assertThrows(ConflictException.class, () -> target.deploy("churn", 4, "staging", productionPort));
            assertEquals("port: " + productionPort + " on 127.0.0.1 is already in use; pick another --port or stop what listens there",
                    taken.getMessage());
            assertTrue(client.ready(production.url()), "production still answers after a port clash");

            int free = freePort();
            DeployException never = assertThrows(DeployException.class, () -> target.deploy("churn", 4, "staging", free));
            assertTrue(never.getMessage().contains("did not answer http://127.0.0.1:" + free + "/v2/health/ready within 0 s and was stopped"),
                    never.getMessage());
            assertTrue(target.find("staging").isEmpty(), "nothing recorded for a deploy that never became ready");
            assertTrue(ProcessHandle.allProcesses().noneMatch(p -> p.info().commandLine().orElse("").equals("sleep 30")
                    && p.parent().map(pp -> pp.pid() == ProcessHandle.current().pid()).orElse(false)), "the started process was killed");
            assertTrue(client.ready(production.url()), "production still answers after a candidate never became healthy");
        }
    }

    @Test
    void startsWaitsForHealthRecordsThePidAndStops() throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        LocalProcessTarget target = target(List.of(java, fakeServer().toString(), "{port}"), Duration.ofSeconds(20));
        int port = freePort();
        Deployment d = target.deploy("churn", 3, "production", port);
        try {
            assertEquals(port, d.url().getPort());
            assertTrue(client.ready(d.url()));
            assertEquals(String.valueOf(d.pid()), Files.readString(dir.resolve("deployments/production/pid")));
            assertEquals(d, target.find("production").orElseThrow());
            assertThrows(ConflictException.class, () -> target.deploy("churn", 4, "production", port + 2), "one deployment per stage");
        } finally {
            target.stop(d);
        }
        assertFalse(client.ready(d.url()));
        assertTrue(target.find("production").isEmpty());
    }

    /** A server holding versions 1 and 2 of churn, primary 1, with its admin listener on. */
    static ModelServer twoVersions(Path dir) {
        ModelSchema schema = new ModelSchema(ModelSchema.CLASSIFICATION, List.of("a"), "y", List.of("no", "yes"));
        Predictor constant = new Predictor() {
            @Override
            public ModelSchema schema() {
                return schema;
            }

            @Override
            public double[][] predict(float[][] rows) {
                return new double[rows.length][2];
            }
        };
        ModelServer server = ModelServer.start(ServerConfig.builder().optPort(0).optAdmin(0, AdminToken.of(InProcessTarget.TOKEN))
                .addModel(new ModelSpec("churn", 1, dir.resolve("1"))).addModel(new ModelSpec("churn", 2, dir.resolve("2")))
                .optPolicy(TrafficPolicy.primaryOnly("churn", 1)).build(), d -> constant);
        server.awaitReady(Duration.ofSeconds(10));
        return server;
    }

    @Test
    void setTrafficMovesTheSplitThroughTheRealAdminEndpoint() {
        try (ModelServer server = twoVersions(dir)) {
            Deployment d = new Deployment("production", "churn", 1, URI.create(server.baseUri() + "/"), -1, server.adminPort(), null, Instant.now());
            LocalProcessTarget target = new LocalProcessTarget(dir.resolve("deployments"), List.of("unused"), Duration.ofSeconds(1),
                    InProcessTarget.TOKEN, Clock.systemUTC());
            target.setTraffic(d, TrafficPolicy.primaryOnly("churn", 1).withCanary(2, 50));
            assertEquals(TrafficPolicy.primaryOnly("churn", 1).withCanary(2, 50), server.policy("churn"));
            target.setTraffic(d, TrafficPolicy.primaryOnly("churn", 2));
            assertEquals(TrafficPolicy.primaryOnly("churn", 2), server.policy("churn"));

            DeployException unloaded = assertThrows(DeployException.class, () -> target.setTraffic(d, TrafficPolicy.primaryOnly("churn", 2).withCanary(3, 10)));
            assertTrue(unloaded.getMessage().startsWith("traffic: the server of production refused the policy (HTTP 400)"), unloaded.getMessage());
            assertTrue(unloaded.getMessage().contains("version 3 (canary) is not loaded"), unloaded.getMessage());

            LocalProcessTarget wrongToken = new LocalProcessTarget(dir.resolve("deployments"), List.of("unused"), Duration.ofSeconds(1),
                    "another-token-0123456789", Clock.systemUTC());
            DeployException refused = assertThrows(DeployException.class, () -> wrongToken.setTraffic(d, TrafficPolicy.primaryOnly("churn", 1)));
            assertTrue(refused.getMessage().contains("(HTTP 401)"), refused.getMessage());
            assertFalse(refused.getMessage().contains("another-token"), "the token is never echoed");
            assertEquals(TrafficPolicy.primaryOnly("churn", 2), server.policy("churn"), "a refused change changes nothing");

            LocalProcessTarget noToken = new LocalProcessTarget(dir.resolve("deployments"), List.of("unused"), Duration.ofSeconds(1), null, Clock.systemUTC());
            assertThrows(InvalidInputException.class, () -> noToken.setTraffic(d, TrafficPolicy.primaryOnly("churn", 1)));
        }
    }

    /**
     * Production as {@link LocalProcessTarget#find} sees it: a real server on 127.0.0.1 serving churn:1,
     * loading versions 1..3 on request (others are unknown), recorded in deployment.json under the
     * pid of this JVM (alive, and never stopped by these tests).
     */
    ModelServer production(LocalProcessTarget target) throws IOException {
        ModelSchema schema = new ModelSchema(ModelSchema.CLASSIFICATION, List.of("a"), "y", List.of("no", "yes"));
        VersionSource versions = new VersionSource() {
            @Override
            public ModelSpec resolve(String model, int version) {
                if (version > 3) {
                    throw new NotFoundException("version: " + model + ":" + version + " does not exist (latest is 3)");
                }
                return new ModelSpec(model, version, dir.resolve(String.valueOf(version)));
            }

            @Override
            public Predictor load(ModelSpec spec) {
                return constant(schema, spec.version());
            }
        };
        ModelServer server = ModelServer.start(ServerConfig.builder().optPort(0).optAdmin(0, AdminToken.of(InProcessTarget.TOKEN))
                .addModel(new ModelSpec("churn", 1, dir.resolve("1"))).build(), d -> constant(schema, 1), versions);
        server.awaitReady(Duration.ofSeconds(10));
        Deployment d = new Deployment("production", "churn", 1, URI.create(server.baseUri() + "/"), ProcessHandle.current().pid(),
                server.adminPort(), null, Instant.now());
        Files.createDirectories(dir.resolve("deployments/production"));
        Files.write(dir.resolve("deployments/production/deployment.json"), Json.toBytes(d));
        assertEquals(d, target.find("production").orElseThrow());
        return server;
    }

    /** p(yes) = version / 10, so answers tell versions apart. */
    static Predictor constant(ModelSchema schema, int version) {
        return new Predictor() {
            @Override
            public ModelSchema schema() {
                return schema;
            }

            @Override
            public double[][] predict(float[][] rows) {
                double[][] p = new double[rows.length][];
                for (int i = 0; i < rows.length; i++) {
                    p[i] = new double[] {1 - version / 10.0, version / 10.0};
                }
                return p;
            }
        };
    }

    LocalProcessTarget withToken(String token) {
        return new LocalProcessTarget(dir.resolve("deployments"), List.of("unused"), Duration.ofSeconds(10), token, Clock.systemUTC());
    }

    @Test
    void aCanaryIsLoadedIntoTheRunningProductionWhileItAnswersEveryRequest() throws Exception {
        LocalProcessTarget target = withToken(InProcessTarget.TOKEN);
        try (ModelServer server = production(target)) {
            URI infer = URI.create(server.baseUri() + "/v2/models/churn/infer");
            String row = SmokeGate.request(new float[][] {{1}});
            AtomicBoolean running = new AtomicBoolean(true);
            AtomicLong sent = new AtomicLong();
            List<String> failures = new CopyOnWriteArrayList<>();
            Thread steady = new Thread(() -> {
                while (running.get()) {
                    sent.incrementAndGet();
                    try {
                        ServerClient.Response r = client.post(infer, row, null);
                        if (r.status() != 200) {
                            failures.add(r.status() + " " + r.body());
                        }
                    } catch (RuntimeException e) {
                        failures.add(e.getMessage());
                    }
                }
            });
            steady.start();
            Deployment d;
            try {
                d = target.deployWithCanary("churn", 1, 2, "production", 1);
                for (int weight : new int[] {10, 50, 100}) {
                    target.setTraffic(d, TrafficPolicy.primaryOnly("churn", 1).withCanary(2, weight));
                    long until = sent.get() + 50;
                    while (sent.get() < until) {
                        Thread.sleep(1);
                    }
                }
                target.setTraffic(d, TrafficPolicy.primaryOnly("churn", 2));
                target.unloadVersion(target.servesNow(d, 2), 1);
                long until = sent.get() + 50;
                while (sent.get() < until) {
                    Thread.sleep(1);
                }
            } finally {
                running.set(false);
                steady.join();
            }
            assertEquals(server.port(), d.url().getPort(), "the running production, not a new one on the port asked for");
            assertEquals(List.of(), failures.stream().limit(5).toList(), failures.size() + " of " + sent + " requests failed");
            assertTrue(sent.get() > 150, "requests sent: " + sent);
            assertEquals(TrafficPolicy.primaryOnly("churn", 2), server.policy("churn"));
            assertEquals(List.of(2), server.versionStatuses().stream().map(VersionStatus::version).toList());
            assertEquals(2, target.find("production").orElseThrow().version());
        } finally {
            Files.deleteIfExists(dir.resolve("deployments/production/deployment.json"));
        }
    }

    @Test
    void aCanaryThatCannotBeLoadedLeavesProductionAsItWas() throws IOException {
        LocalProcessTarget target = withToken(InProcessTarget.TOKEN);
        try (ModelServer server = production(target)) {
            NotFoundException unknown = assertThrows(NotFoundException.class, () -> target.deployWithCanary("churn", 1, 9, "production", 1));
            assertEquals("deploy: the server of production cannot load churn:9: version: cannot load churn:9 (version: churn:9 does not exist"
                    + " (latest is 3)); still serving churn 1", unknown.getMessage());

            DeployException refused = assertThrows(DeployException.class,
                    () -> withToken("another-token-0123456789").deployWithCanary("churn", 1, 2, "production", 1));
            assertTrue(refused.getMessage().startsWith("deploy: the server of production refused to load churn:2 (HTTP 401)"), refused.getMessage());
            assertFalse(refused.getMessage().contains("another-token"), "the token is never echoed");

            ConflictException otherPrimary = assertThrows(ConflictException.class, () -> target.deployWithCanary("churn", 3, 2, "production", 1));
            assertTrue(otherPrimary.getMessage().startsWith("stage: production runs churn:1, but the canary of churn:2 compares with churn:3"),
                    otherPrimary.getMessage());
            assertThrows(InvalidInputException.class, () -> withToken(null).deployWithCanary("churn", 1, 2, "production", 1));

            assertEquals(TrafficPolicy.primaryOnly("churn", 1), server.policy("churn"));
            assertEquals(List.of(1), server.versionStatuses().stream().map(VersionStatus::version).toList());
            assertEquals(200, client.post(URI.create(server.baseUri() + "/v2/models/churn/infer"), SmokeGate.request(new float[][] {{1}}), null)
                    .status());
            assertTrue(target.find("production").isPresent(), "production keeps running");
        } finally {
            Files.deleteIfExists(dir.resolve("deployments/production/deployment.json"));
        }
    }

    @Test
    void aVersionStillRoutedToIsNotUnloaded() throws IOException {
        LocalProcessTarget target = withToken(InProcessTarget.TOKEN);
        try (ModelServer server = production(target)) {
            Deployment d = target.deployWithCanary("churn", 1, 2, "production", 1);
            target.setTraffic(d, TrafficPolicy.primaryOnly("churn", 1).withCanary(2, 10));
            ConflictException routed = assertThrows(ConflictException.class, () -> target.unloadVersion(d, 2));
            assertEquals("deploy: production still needs churn:2: version: churn:2 is the canary of the traffic policy (primary 1, canary 2 at 10%);"
                    + " move traffic off it first (POST /admin/traffic), then unload it", routed.getMessage());
            assertEquals(List.of(1, 2), server.versionStatuses().stream().map(VersionStatus::version).toList());
        } finally {
            Files.deleteIfExists(dir.resolve("deployments/production/deployment.json"));
        }
    }
}
