package dev.mlops.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mlops.error.ConflictException;
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
}
