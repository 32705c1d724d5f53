package dev.mlops.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mlops.error.ConflictException;
import dev.mlops.error.InvalidInputException;
import dev.mlops.model.ModelSchema;
import dev.mlops.model.Predictor;
import dev.mlops.serve.AdminToken;
import dev.mlops.serve.ModelServer;
import dev.mlops.serve.ModelSpec;
import dev.mlops.serve.ServerConfig;
import dev.mlops.serve.TrafficPolicy;
import java.net.URI;
import java.time.Instant;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
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

    @Test
    void aCanaryThatNeverBecomesReadyRestoresTheRunningProductionOnItsPort() throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // the stand-in server refuses to start when asked to load a canary
        List<String> command = List.of("sh", "-c", "case \"$*\" in *--canary*) exit 3;; esac; exec \"$0\" " + fakeServer() + " \"$1\"",
                java, "{port}");
        LocalProcessTarget target = new LocalProcessTarget(dir.resolve("deployments"), command, Duration.ofSeconds(20), InProcessTarget.TOKEN,
                Clock.systemUTC());
        int port = freePort();
        Deployment before = target.deploy("churn", 1, "production", port);
        Deployment after = null;
        try {
            DeployException failed = assertThrows(DeployException.class, () -> target.deployWithCanary("churn", 1, 2, "production", port + 7));
            assertTrue(failed.getMessage().contains("exited with code 3 before it was ready"), failed.getMessage());
            after = target.find("production").orElseThrow();
            assertEquals(port, after.url().getPort(), "restored on the port it had, not the one asked for");
            assertEquals(1, after.version());
            assertTrue(client.ready(after.url()), "production answers again");
            assertTrue(ProcessHandle.of(before.pid()).map(p -> !p.isAlive()).orElse(true), "the old process was stopped first");
        } finally {
            target.find("production").ifPresent(target::stop);
        }
    }
}
