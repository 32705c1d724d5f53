package dev.mlops.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.error.InvalidInputException;
import dev.mlops.json.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InferenceLogTest {
    @TempDir
    Path dir;

    static InferenceRecord record(int i, int rows) {
        float[][] inputs = new float[rows][];
        double[][] outputs = new double[rows][];
        for (int r = 0; r < rows; r++) {
            inputs[r] = new float[] {i, r, 0.5f};
            outputs[r] = new double[] {0.25, 0.75};
        }
        return new InferenceRecord(Instant.parse("2025-01-01T00:00:00Z"), "churn", 3, "r-" + i, "primary", "weight", inputs, outputs, 0.5, null);
    }

    static List<JsonNode> lines(Path logDir) throws IOException {
        List<JsonNode> lines = new ArrayList<>();
        for (Path file : InferenceLog.files(logDir)) {
            for (String line : Files.readAllLines(file)) {
                lines.add(Json.mapper().readTree(line));
            }
        }
        return lines;
    }

    @Test
    void samplingRateIsRespectedAndReproducible() {
        int n = 20_000;
        for (double rate : new double[] {0.05, 0.3, 0.9}) {
            InferenceLog a = InferenceLog.open(LogSettings.defaults(dir.resolve("a" + rate)).withSampleRate(rate).withSeed(11), m -> { });
            InferenceLog b = InferenceLog.open(LogSettings.defaults(dir.resolve("b" + rate)).withSampleRate(rate).withSeed(11), m -> { });
            int hits = 0;
            for (int i = 0; i < n; i++) {
                boolean sa = a.sample();
                assertEquals(sa, b.sample(), "same seed, same decisions");
                hits += sa ? 1 : 0;
            }
            a.close();
            b.close();
            double sigma = Math.sqrt(n * rate * (1 - rate));
            assertEquals(n * rate, hits, 4 * sigma, "rate " + rate);
        }
        InferenceLog none = InferenceLog.open(LogSettings.defaults(dir.resolve("none")).withSampleRate(0), m -> { });
        InferenceLog all = InferenceLog.open(LogSettings.defaults(dir.resolve("all")).withSampleRate(1), m -> { });
        for (int i = 0; i < 1000; i++) {
            assertFalse(none.sample());
            assertTrue(all.sample());
        }
        none.close();
        all.close();
    }

    @Test
    void recordsAreWrittenAsJsonLinesAndFlushedOnClose() throws IOException {
        InferenceLog log = InferenceLog.open(LogSettings.defaults(dir), m -> { });
        for (int i = 0; i < 1000; i++) {
            assertTrue(log.offer(record(i, 2)));
        }
        log.close();
        List<JsonNode> lines = lines(dir);
        assertEquals(1000, lines.size(), "everything queued before close is written");
        JsonNode first = lines.get(0);
        assertEquals("2025-01-01T00:00:00Z", first.get("ts").asText());
        assertEquals("churn", first.get("model").asText());
        assertEquals(3, first.get("version").asInt());
        assertEquals("r-0", first.get("id").asText());
        assertEquals("primary", first.get("route").asText());
        assertEquals("weight", first.get("selector").asText());
        assertEquals(0.5, first.get("latency_ms").asDouble());
        assertEquals(2, first.get("rows").asInt());
        assertEquals(0.5, first.get("inputs").get(1).get(2).asDouble());
        assertEquals(0.75, first.get("outputs").get(1).get(1).asDouble());
        assertFalse(first.has("inputs_truncated"));
        assertFalse(log.offer(record(1, 1)), "a closed log takes no records");
    }

    @Test
    void filesRotateBySizeAndOnlyTheNewestAreKept() throws IOException {
        LogSettings settings = LogSettings.defaults(dir).withLimits(2048, 4096, 3);
        InferenceLog log = InferenceLog.open(settings, m -> { });
        for (int i = 0; i < 300; i++) {
            log.offer(record(i, 1));
        }
        log.close();
        List<Path> files = InferenceLog.files(dir);
        assertEquals(3, files.size(), "keeps 3 files: " + files);
        for (Path file : files) {
            assertTrue(Files.size(file) <= 4096, file + " is " + Files.size(file) + " bytes");
            assertTrue(file.getFileName().toString().matches("inference-\\d{6}\\.jsonl"), file.toString());
        }
        List<JsonNode> kept = lines(dir);
        assertEquals("r-299", kept.get(kept.size() - 1).get("id").asText(), "the newest records survive");
        // a restarted writer continues the numbering instead of overwriting
        InferenceLog again = InferenceLog.open(settings, m -> { });
        again.offer(record(1000, 1));
        again.close();
        List<Path> after = InferenceLog.files(dir);
        assertTrue(after.get(after.size() - 1).getFileName().toString().compareTo(files.get(files.size() - 1).getFileName().toString()) > 0);
    }

    @Test
    void aRecordOverTheSizeLimitIsCutAndSaysSo() throws IOException {
        InferenceLog log = InferenceLog.open(LogSettings.defaults(dir).withLimits(1024, 1 << 20, 2), m -> { });
        log.offer(record(1, 500));
        log.close();
        Path file = InferenceLog.files(dir).get(0);
        String line = Files.readAllLines(file).get(0);
        assertTrue(line.length() + 1 <= 1024, "line is " + line.length() + " bytes");
        JsonNode node = Json.mapper().readTree(line);
        assertEquals(500, node.get("rows").asInt());
        assertTrue(node.get("inputs_truncated").asBoolean());
        int logged = node.get("inputs_rows_logged").asInt();
        assertTrue(logged > 0 && logged < 500);
        assertEquals(logged, node.get("inputs").size());
        assertEquals(1, log.truncated());
    }

    @Test
    void aFullQueueDropsAndCountsInsteadOfBlocking() {
        InferenceLog log = InferenceLog.open(LogSettings.defaults(dir).withQueueCapacity(1), m -> { });
        int offered = 20_000;
        long start = System.nanoTime();
        for (int i = 0; i < offered; i++) {
            log.offer(record(i, 50));
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        log.close();
        assertTrue(log.dropped() > 0, "some records dropped");
        assertEquals(offered, log.dropped() + log.written());
        assertTrue(millis < 5_000, "offer never waits for the writer (" + millis + " ms)");
    }

    @Test
    void serverLogsSampledRequestsWithoutHeadersQueryOrCredentials() throws IOException {
        Path logs = dir.resolve("logs");
        try (ModelServer server = ModelServer.start(ServerConfig.builder().addModel(TestModels.spec(dir, "churn", 1)).optPort(0)
                .optLog(LogSettings.defaults(logs).withSampleRate(0.5).withSeed(5)).build(), TestModels.linearByFolder())) {
            server.awaitReady(Duration.ofSeconds(10));
            Http http = new Http(server);
            for (int i = 0; i < 400; i++) {
                Http.Response r = http.post("/v2/models/churn/infer?token=QUERY-SECRET-42", Http.row(i, 2, 3),
                        "Authorization", "Bearer AUTH-SECRET-17", "Cookie", "session=COOKIE-SECRET-99", "X-Api-Key", "KEY-SECRET-5");
                assertEquals(200, r.status(), r.body());
            }
        }
        List<JsonNode> lines = lines(logs);
        double sigma = Math.sqrt(400 * 0.25);
        assertEquals(200, lines.size(), 4 * sigma, "about half the requests are logged");
        for (Path file : InferenceLog.files(logs)) {
            String text = Files.readString(file);
            for (String secret : List.of("QUERY-SECRET", "AUTH-SECRET", "COOKIE-SECRET", "KEY-SECRET", "Bearer", "uthorization", "ookie", "token")) {
                assertFalse(text.contains(secret), file + " contains " + secret);
            }
        }
        JsonNode one = lines.get(0);
        assertEquals(3, one.get("inputs").get(0).size(), "the feature vector is logged");
        assertEquals(2, one.get("outputs").get(0).size());
        assertEquals("primary", one.get("route").asText());
    }

    @Test
    void settingsRejectNonsenseWithEveryProblemNamed() {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> new LogSettings(dir, 1.5, 0, 100, 50, 0, 0));
        assertEquals("log.sampleRate: 1.5 not in 0..1; e.g. 0.1 logs one request in ten; "
                + "log.maxRecordBytes: 100 is below 1024; give at least 1024; "
                + "log.maxFileBytes: 50 is below maxRecordBytes 100; a file must hold at least one record; "
                + "log.keepFiles: 0 keeps nothing; keep at least 1 file; "
                + "log.queueCapacity: 0 is not positive; e.g. 8192", e.getMessage());
    }
}
