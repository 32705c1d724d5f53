package dev.mlops.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mlops.error.InvalidInputException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ShutdownTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(HttpStack.class)
    void closeFinishesTheRequestInFlightThenFlushesTheLog(HttpStack stack) throws Exception {
        TestModels.Slow slow = new TestModels.Slow();
        Path logs = dir.resolve("logs");
        ModelServer server = ModelServer.start(ServerConfig.builder().optPort(0).addModel(TestModels.spec(dir, "slow", 1))
                .optLog(LogSettings.defaults(logs)).optDrainTimeout(Duration.ofSeconds(20)).optHttp(stack).build(), d -> slow);
        server.awaitReady(Duration.ofSeconds(5));
        Http http = new Http(server);
        int port = server.port();
        CompletableFuture<Http.Response> inFlight = CompletableFuture.supplyAsync(() -> http.post("/v2/models/slow/infer", Http.row(1, 2, 3)));
        assertTrue(slow.started.await(10, TimeUnit.SECONDS));

        CompletableFuture<Void> closing = CompletableFuture.runAsync(server::close);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!refused(port) && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertTrue(refused(port), "new connections are refused while draining");
        assertTrue(!server.isReady(), "not ready while draining");
        assertTrue(!closing.isDone(), "close waits for the request in flight");

        slow.release.countDown();
        Http.Response response = inFlight.get(10, TimeUnit.SECONDS);
        assertEquals(200, response.status(), response.body());
        closing.get(10, TimeUnit.SECONDS);
        assertEquals(1, InferenceLogTest.lines(logs).size(), "the in-flight request was logged and flushed");
    }

    @ParameterizedTest
    @EnumSource(HttpStack.class)
    void drainTimeoutBoundsTheWait(HttpStack stack) throws Exception {
        TestModels.Slow slow = new TestModels.Slow();
        ModelServer server = ModelServer.start(ServerConfig.builder().optPort(0).addModel(TestModels.spec(dir, "slow", 1))
                .optDrainTimeout(Duration.ofMillis(300)).optHttp(stack).build(), d -> slow);
        server.awaitReady(Duration.ofSeconds(5));
        Http http = new Http(server);
        CompletableFuture.runAsync(() -> {
            try {
                http.post("/v2/models/slow/infer", Http.row(1, 2, 3));
            } catch (RuntimeException ignored) {
                // the connection is closed under it
            }
        });
        assertTrue(slow.started.await(10, TimeUnit.SECONDS));
        long start = System.nanoTime();
        server.close();
        long millis = (System.nanoTime() - start) / 1_000_000;
        slow.release.countDown();
        assertTrue(millis < 10_000, "close returned after " + millis + " ms");
    }

    @ParameterizedTest
    @EnumSource(HttpStack.class)
    void portInUseIsAClearError(HttpStack stack) throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            int port = taken.getLocalPort();
            InvalidInputException e = assertThrows(InvalidInputException.class, () -> ModelServer.start(ServerConfig.builder()
                    .optPort(port).optHttp(stack).addModel(TestModels.spec(dir, "churn", 1)).build(), TestModels.linearByFolder()));
            assertTrue(e.getMessage().startsWith("port: 127.0.0.1:" + port + " is already in use"), e.getMessage());
            assertTrue(e.getMessage().contains("pick another port (--port N, or 0 for any free port)"), e.getMessage());
        }
    }

    private static boolean refused(int port) {
        try (Socket ignored = new Socket("127.0.0.1", port)) {
            return false;
        } catch (ConnectException e) {
            return true;
        } catch (IOException e) {
            return true;
        }
    }
}
