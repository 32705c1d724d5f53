package dev.mlops.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** GET /metrics parses as Prometheus text exposition and its numbers follow the traffic. */
class MetricsTest {
    /** metric{labels} value: the sample line grammar of the text format. */
    private static final Pattern SAMPLE = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)})? (\\S+)");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    @TempDir
    Path dir;
    ModelServer server;
    Http http;

    @BeforeEach
    void start() {
        server = ModelServer.start(ServerConfig.builder().addModel(TestModels.spec(dir, "churn", 1)).optPort(0).build(), TestModels.linearByFolder());
        server.awaitReady(Duration.ofSeconds(10));
        http = new Http(server);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    record Sample(String name, Map<String, String> labels, double value) {
    }

    record Exposition(Map<String, String> types, List<Sample> samples) {
        double value(String name, String... labels) {
            return samples.stream().filter(s -> s.name().equals(name) && matches(s, labels)).mapToDouble(Sample::value).sum();
        }

        List<Sample> all(String name, String... labels) {
            return samples.stream().filter(s -> s.name().equals(name) && matches(s, labels)).toList();
        }

        private static boolean matches(Sample s, String... labels) {
            for (int i = 0; i + 1 < labels.length; i += 2) {
                if (!labels[i + 1].equals(s.labels().get(labels[i]))) {
                    return false;
                }
            }
            return true;
        }
    }

    /** A strict reader of the text format: every line is a comment (# HELP / # TYPE) or a sample, every sample's family has a TYPE. */
    static Exposition parse(String text) {
        Map<String, String> types = new LinkedHashMap<>();
        Map<String, Boolean> helps = new LinkedHashMap<>();
        List<Sample> samples = new ArrayList<>();
        assertTrue(text.endsWith("\n"), "exposition ends with a line feed");
        for (String line : text.split("\n")) {
            if (line.startsWith("# HELP ")) {
                helps.put(line.split(" ")[2], true);
                continue;
            }
            if (line.startsWith("# TYPE ")) {
                String[] parts = line.split(" ");
                assertEquals(4, parts.length, line);
                assertTrue(List.of("counter", "gauge", "histogram", "summary", "untyped").contains(parts[3]), line);
                assertTrue(types.put(parts[2], parts[3]) == null, "one TYPE per family: " + line);
                continue;
            }
            Matcher m = SAMPLE.matcher(line);
            assertTrue(m.matches(), "not a sample line: " + line);
            String name = m.group(1);
            Map<String, String> labels = new LinkedHashMap<>();
            if (m.group(3) != null) {
                Matcher l = LABEL.matcher(m.group(3));
                int end = 0;
                while (l.find()) {
                    assertEquals(end, l.start() == 0 ? 0 : l.start() - 1, "labels are comma separated: " + line);
                    labels.put(l.group(1), l.group(2));
                    end = l.end();
                }
                assertEquals(m.group(3).length(), end, "all labels parsed: " + line);
            }
            String family = name.replaceAll("_(bucket|sum|count)$", "");
            assertTrue(types.containsKey(name) || types.containsKey(family), "sample before its TYPE: " + line);
            assertTrue(helps.containsKey(name) || helps.containsKey(family), "sample without HELP: " + line);
            double value = m.group(4).equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(m.group(4));
            samples.add(new Sample(name, labels, value));
        }
        return new Exposition(types, samples);
    }

    @Test
    void exposesCountersHistogramAndGaugeInTextFormat() {
        Http.Response response = http.get("/metrics");
        assertEquals(200, response.status());
        assertEquals(ServeMetrics.CONTENT_TYPE, response.headers().firstValue("content-type").orElse(""));
        Exposition before = parse(response.body());
        assertEquals("counter", before.types().get("mlops_serve_requests_total"));
        assertEquals("counter", before.types().get("mlops_serve_request_errors_total"));
        assertEquals("histogram", before.types().get("mlops_serve_request_duration_seconds"));
        assertEquals("gauge", before.types().get("mlops_serve_in_flight_requests"));
        assertEquals(0, before.value("mlops_serve_requests_total", "model", "churn"));

        for (int i = 0; i < 5; i++) {
            assertEquals(200, http.post("/v2/models/churn/infer", Http.row(i, 1, 2)).status());
        }
        assertEquals(400, http.post("/v2/models/churn/infer", "{\"inputs\":[]}").status());
        assertEquals(404, http.post("/v2/models/churn/versions/7/infer", Http.row(1, 1, 1)).status());
        assertEquals(404, http.post("/v2/models/other/infer", Http.row(1, 1, 1)).status());

        Exposition after = parse(http.get("/metrics").body());
        assertEquals(5, after.value("mlops_serve_requests_total", "model", "churn", "version", "1", "code", "200"));
        assertEquals(1, after.value("mlops_serve_requests_total", "model", "churn", "version", "1", "code", "400"));
        assertEquals(1, after.value("mlops_serve_request_errors_total", "model", "churn", "version", "1", "code", "400"));
        assertEquals(0, after.all("mlops_serve_request_errors_total", "code", "200").size(), "errors count only 4xx/5xx");
        assertEquals(1, after.value("mlops_serve_requests_total", "model", "churn", "version", ServeMetrics.UNKNOWN, "code", "404"));
        assertEquals(1, after.value("mlops_serve_requests_total", "model", ServeMetrics.UNKNOWN, "code", "404"),
                "unknown model names do not become label values");
        assertEquals(0, after.value("mlops_serve_in_flight_requests"));
    }

    @Test
    void histogramBucketsAreCumulativeAndEndAtCount() {
        for (int i = 0; i < 20; i++) {
            http.post("/v2/models/churn/infer", Http.row(i, 0, 1));
        }
        Exposition e = parse(http.get("/metrics").body());
        List<Sample> buckets = e.all("mlops_serve_request_duration_seconds_bucket", "model", "churn", "version", "1");
        assertEquals(ServeMetrics.BUCKETS.length + 1, buckets.size());
        double previousLe = Double.NEGATIVE_INFINITY;
        double previousCount = 0;
        for (Sample bucket : buckets) {
            double le = bucket.labels().get("le").equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(bucket.labels().get("le"));
            assertTrue(le > previousLe, "le increases");
            assertTrue(bucket.value() >= previousCount, "buckets are monotone");
            previousLe = le;
            previousCount = bucket.value();
        }
        assertEquals("+Inf", buckets.get(buckets.size() - 1).labels().get("le"));
        double count = e.value("mlops_serve_request_duration_seconds_count", "model", "churn", "version", "1");
        assertEquals(20, count);
        assertEquals(count, previousCount, "+Inf bucket equals _count");
        double sum = e.value("mlops_serve_request_duration_seconds_sum", "model", "churn", "version", "1");
        assertTrue(sum > 0 && sum < 20, "sum of seconds: " + sum);
    }

    @Test
    void inFlightGaugeCountsRunningRequests() throws Exception {
        TestModels.Slow slow = new TestModels.Slow();
        try (ModelServer s = ModelServer.start(ServerConfig.builder().addModel(TestModels.spec(dir, "slow", 1)).optPort(0).build(), d -> slow)) {
            s.awaitReady(Duration.ofSeconds(5));
            Http h = new Http(s);
            Thread request = new Thread(() -> h.post("/v2/models/slow/infer", Http.row(1, 2, 3)));
            request.start();
            assertTrue(slow.started.await(10, java.util.concurrent.TimeUnit.SECONDS));
            assertEquals(1, parse(h.get("/metrics").body()).value("mlops_serve_in_flight_requests"));
            slow.release.countDown();
            request.join(10_000);
            // The client can read the answer before the handler's finally block leaves the gauge,
            // so the drop to 0 is awaited (bounded) rather than expected at once.
            double inFlight = parse(h.get("/metrics").body()).value("mlops_serve_in_flight_requests");
            for (long deadline = System.nanoTime() + 5_000_000_000L; inFlight != 0 && System.nanoTime() < deadline; ) {
                Thread.sleep(10);
                inFlight = parse(h.get("/metrics").body()).value("mlops_serve_in_flight_requests");
            }
            assertEquals(0, inFlight);
        }
    }

    @Test
    void labelValuesAreEscaped() {
        StringBuilder out = new StringBuilder();
        ServeMetrics.escape(out, "a\"b\\c\nd");
        assertEquals("a\\\"b\\\\c\\nd", out.toString());
    }
}
