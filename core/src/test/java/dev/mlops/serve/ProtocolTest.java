package dev.mlops.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Open Inference Protocol (KServe v2) conformance against a real server on 127.0.0.1. */
class ProtocolTest {
    @TempDir
    Path dir;
    ModelServer server;
    Http http;

    /** The HTTP stack under test; {@link JdkProtocolTest} runs the same suite on the JDK server. */
    HttpStack stack() {
        return HttpStack.JETTY;
    }

    @BeforeEach
    void start() {
        server = ModelServer.start(ServerConfig.builder()
                .addModel(TestModels.spec(dir, "churn", 3)).addModel(TestModels.spec(dir, "churn", 4))
                .addModel(new ModelSpec("price", 1, dir.resolve("price"), "onnxruntime_onnx"))
                .optPolicy(TrafficPolicy.primaryOnly("churn", 3))
                .optPort(0).optMaxBodyBytes(4096).optThreads(4).optHttp(stack()).build(),
                d -> d.getFileName().toString().equals("price") ? new TestModels.Sum() : TestModels.linearByFolder().load(d));
        server.awaitReady(Duration.ofSeconds(10));
        http = new Http(server);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void healthEndpointsAnswerWithStatusAndEmptyBody() {
        Http.Response live = http.get("/v2/health/live");
        assertEquals(200, live.status());
        assertEquals("", live.body());
        Http.Response ready = http.get("/v2/health/ready");
        assertEquals(200, ready.status());
        assertEquals("", ready.body());
        assertEquals(200, http.get("/v2/models/churn/ready").status());
        assertEquals(200, http.get("/v2/models/churn/versions/4/ready").status());
    }

    @Test
    void serverIsLiveButNotReadyWhileModelsLoad() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        try (ModelServer loading = ModelServer.start(ServerConfig.builder().addModel(TestModels.spec(dir, "churn", 1)).optPort(0).build(), d -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return new TestModels.Linear(1);
        })) {
            Http h = new Http(loading);
            assertEquals(200, h.get("/v2/health/live").status());
            assertEquals(400, h.get("/v2/health/ready").status(), "a 4xx means not ready");
            assertEquals(400, h.get("/v2/models/churn/ready").status());
            Http.Response infer = h.post("/v2/models/churn/infer", Http.row(1, 2, 3));
            assertEquals(503, infer.status());
            assertTrue(infer.error().contains("still loading"), infer.body());
            release.countDown();
            loading.awaitReady(Duration.ofSeconds(10));
            assertEquals(200, h.get("/v2/health/ready").status());
        }
    }

    @Test
    void serverMetadataNamesTheServer() {
        JsonNode meta = http.get("/v2").json();
        assertEquals(ModelServer.NAME, meta.get("name").asText());
        assertTrue(meta.has("version"));
        assertTrue(meta.get("extensions").isArray());
    }

    @Test
    void modelMetadataDescribesInputsAndOutputs() {
        JsonNode meta = http.get("/v2/models/churn").json();
        assertEquals("churn", meta.get("name").asText());
        assertEquals(List.of("3", "4"), List.of(meta.get("versions").get(0).asText(), meta.get("versions").get(1).asText()));
        assertEquals("mlops", meta.get("platform").asText());
        JsonNode input = meta.get("inputs").get(0);
        assertEquals("FP32", input.get("datatype").asText());
        assertEquals(-1, input.get("shape").get(0).asInt());
        assertEquals(3, input.get("shape").get(1).asInt());
        assertEquals("probabilities", meta.get("outputs").get(0).get("name").asText());
        assertEquals(2, meta.get("outputs").get(0).get("shape").get(1).asInt());
        assertEquals("predicted_class", meta.get("outputs").get(1).get("name").asText());
        assertEquals("age,income,tenure", meta.get("parameters").get("features").asText());
        assertEquals("primary", meta.get("parameters").get("role").asText());

        JsonNode v4 = http.get("/v2/models/churn/versions/4").json();
        assertEquals("4", v4.get("parameters").get("version").asText());
        assertEquals("onnxruntime_onnx", http.get("/v2/models/price").json().get("platform").asText());
        assertEquals("predictions", http.get("/v2/models/price").json().get("outputs").get(0).get("name").asText());
    }

    @Test
    void inferReturnsProbabilitiesAndPredictedClass() {
        Http.Response r = http.post("/v2/models/churn/infer",
                "{\"id\":\"req-7\",\"inputs\":[{\"name\":\"x\",\"shape\":[2,3],\"datatype\":\"FP32\",\"data\":[[1,2,3],[-1,0.5,-2]]}]}");
        assertEquals(200, r.status(), r.body());
        assertEquals("application/json", r.headers().firstValue("content-type").orElse(""));
        JsonNode body = r.json();
        assertEquals("churn", body.get("model_name").asText());
        assertEquals("3", body.get("model_version").asText());
        assertEquals("req-7", body.get("id").asText());
        JsonNode probabilities = body.get("outputs").get(0);
        assertEquals("probabilities", probabilities.get("name").asText());
        assertEquals("FP64", probabilities.get("datatype").asText());
        assertEquals(2, probabilities.get("shape").get(0).asInt());
        assertEquals(2, probabilities.get("shape").get(1).asInt());
        assertEquals(TestModels.Linear.churn(3, 1, 2, 3), probabilities.get("data").get(1).asDouble(), 1e-12);
        assertEquals(TestModels.Linear.churn(3, -1, 0.5f, -2), probabilities.get("data").get(3).asDouble(), 1e-12);
        JsonNode classes = body.get("outputs").get(1);
        assertEquals("predicted_class", classes.get("name").asText());
        assertEquals("BYTES", classes.get("datatype").asText());
        assertEquals("churn", classes.get("data").get(0).asText());
        assertEquals("stay", classes.get("data").get(1).asText());
    }

    @Test
    void inferAcceptsOneTensorPerFeatureAndOtherNumericTypes() {
        Http.Response columns = http.post("/v2/models/churn/infer", "{\"inputs\":["
                + "{\"name\":\"tenure\",\"shape\":[2],\"datatype\":\"INT64\",\"data\":[3,-2]},"
                + "{\"name\":\"age\",\"shape\":[2,1],\"datatype\":\"FP64\",\"data\":[1.0,-1.0]},"
                + "{\"name\":\"income\",\"shape\":[2],\"datatype\":\"FP32\",\"data\":[2,0.5]}]}");
        assertEquals(200, columns.status(), columns.body());
        assertEquals(TestModels.Linear.churn(3, 1, 2, 3), columns.json().get("outputs").get(0).get("data").get(1).asDouble(), 1e-12);
        assertEquals(TestModels.Linear.churn(3, -1, 0.5f, -2), columns.json().get("outputs").get(0).get("data").get(3).asDouble(), 1e-12);
        Http.Response ints = http.post("/v2/models/churn/infer",
                "{\"inputs\":[{\"name\":\"x\",\"shape\":[1,3],\"datatype\":\"INT32\",\"data\":[1,2,3]}],\"parameters\":{\"content_type\":\"np\"}}");
        assertEquals(200, ints.status(), ints.body());
    }

    @Test
    void inferGeneratesAnIdWhenNoneIsGiven() {
        JsonNode a = http.post("/v2/models/churn/infer", Http.row(1, 2, 3)).json();
        JsonNode b = http.post("/v2/models/churn/infer", Http.row(1, 2, 3)).json();
        assertFalse(a.get("id").asText().isEmpty());
        assertFalse(a.get("id").asText().equals(b.get("id").asText()));
    }

    @Test
    void requestedOutputsAreTheOnlyOnesReturned() {
        JsonNode body = http.post("/v2/models/churn/infer", "{\"inputs\":[{\"name\":\"x\",\"shape\":[1,3],\"datatype\":\"FP32\",\"data\":[1,2,3]}],"
                + "\"outputs\":[{\"name\":\"predicted_class\"}]}").json();
        assertEquals(1, body.get("outputs").size());
        assertEquals("predicted_class", body.get("outputs").get(0).get("name").asText());
        Http.Response unknown = http.post("/v2/models/churn/infer", "{\"inputs\":[{\"name\":\"x\",\"shape\":[1,3],\"datatype\":\"FP32\",\"data\":[1,2,3]}],"
                + "\"outputs\":[{\"name\":\"logits\"}]}");
        assertEquals(400, unknown.status());
        assertEquals("outputs[0].name: 'logits' is not an output of model churn; available: probabilities, predicted_class", unknown.error());
    }

    @Test
    void regressionReturnsPredictions() {
        JsonNode body = http.post("/v2/models/price/infer", "{\"inputs\":[{\"name\":\"x\",\"shape\":[2,2],\"datatype\":\"FP64\",\"data\":[1,2,3,4.5]}]}").json();
        JsonNode out = body.get("outputs").get(0);
        assertEquals("predictions", out.get("name").asText());
        assertEquals(List.of(2, 1), List.of(out.get("shape").get(0).asInt(), out.get("shape").get(1).asInt()));
        assertEquals(7.5, out.get("data").get(1).asDouble(), 1e-9);
    }

    @Test
    void versionedInferUsesThatVersion() {
        JsonNode body = http.post("/v2/models/churn/versions/4/infer", Http.row(0, 0, 0)).json();
        assertEquals("4", body.get("model_version").asText());
        assertEquals(TestModels.Linear.churn(4, 0, 0, 0), body.get("outputs").get(0).get("data").get(1).asDouble(), 1e-12);
    }

    @Test
    void unknownModelsVersionsAndPathsAre404WithAnExplanation() {
        Http.Response model = http.post("/v2/models/nope/infer", Http.row(1, 2, 3));
        assertEquals(404, model.status());
        assertEquals("model: 'nope' is not served here; served models: churn, price", model.error());
        Http.Response version = http.post("/v2/models/churn/versions/9/infer", Http.row(1, 2, 3));
        assertEquals(404, version.status());
        assertEquals("version: '9' of model churn is not served; served versions: 3, 4", version.error());
        assertEquals(404, http.get("/v2/models/churn/versions/x").status());
        assertEquals(404, http.get("/v2/models/nope").status());
        assertEquals(404, http.get("/v2/models/nope/ready").status());
        Http.Response path = http.get("/v3/whatever");
        assertEquals(404, path.status());
        assertTrue(path.error().startsWith("no endpoint at /v3/whatever; endpoints:"), path.error());
    }

    @Test
    void wrongMethodIs405WithAllow() {
        Http.Response infer = http.get("/v2/models/churn/infer");
        assertEquals(405, infer.status());
        assertEquals("POST", infer.headers().firstValue("allow").orElse(""));
        assertEquals("method GET is not allowed on /v2/models/churn/infer; use POST", infer.error());
        Http.Response live = http.method("DELETE", "/v2/health/live", null);
        assertEquals(405, live.status());
        assertEquals("GET", live.headers().firstValue("allow").orElse(""));
        assertEquals(405, http.post("/metrics", "{}").status());
    }

    @Test
    void tooLargeBodyIs413() {
        StringBuilder data = new StringBuilder();
        for (int i = 0; i < 3000; i++) {
            data.append(i == 0 ? "" : ",").append("1.0");
        }
        Http.Response r = http.post("/v2/models/churn/infer", "{\"inputs\":[{\"name\":\"x\",\"shape\":[1000,3],\"datatype\":\"FP32\",\"data\":[" + data + "]}]}");
        assertEquals(413, r.status());
        assertTrue(r.error().contains("over the limit of 4096 bytes"), r.error());
    }

    @Test
    void badRequestsAre400AndNameWhatIsExpected() {
        assertBad("{\"inputs\":[{\"name\":\"x\",\"shape\":[1,2],\"datatype\":\"FP32\",\"data\":[1,2]}]}",
                "inputs[0].shape: [1, 2] does not fit model churn; expected [rows, 3] (features: age, income, tenure)");
        assertBad("{\"inputs\":[{\"name\":\"x\",\"shape\":[1,3],\"datatype\":\"FP32\",\"data\":[1,2]}]}",
                "inputs[0].data: 2 values but shape [1, 3] needs 3; send shape [rows, features] and rows*features values");
        assertBad("{\"inputs\":[{\"name\":\"x\",\"shape\":[1,3],\"datatype\":\"BYTES\",\"data\":[\"a\",\"b\",\"c\"]}]}",
                "inputs[0].datatype: BYTES is not supported by a tabular model; send numbers as FP32, FP64 or INT64");
        assertBad("{\"inputs\":[{\"name\":\"x\",\"shape\":[1,3],\"datatype\":\"FP99\",\"data\":[1,2,3]}]}",
                "inputs[0].datatype: 'FP99' is not a tensor datatype; use FP32, FP64, INT64, INT32, BOOL, ...");
        assertBad("{\"inputs\":[{\"name\":\"x\",\"shape\":[1,3],\"datatype\":\"INT64\",\"data\":[1,2.5,3]}]}",
                "inputs[0].data: holds fractional numbers but datatype is INT64; use FP32 or FP64");
        assertBad("{\"inputs\":[{\"name\":\"x\",\"shape\":[1,3],\"datatype\":\"FP32\",\"data\":[[1,2],[3]]}]}",
                "inputs[0].data: nesting does not match shape [1, 3]; send a flat array or nested arrays of exactly that shape");
        assertBad("{\"inputs\":[]}", "inputs: empty; send one tensor of shape [rows, 3] (age, income, tenure)");
        assertBad("{\"id\":1,\"inputs\":[]}", "id: expected a string, got a number");
        assertBad("{}", "inputs: missing; send \"inputs\":[{\"name\":...,\"shape\":[rows,features],\"datatype\":\"FP32\",\"data\":[...]}]");
        assertBad("[1,2]", "body: not a JSON object; send {\"inputs\":[...]} as in the Open Inference Protocol");
        Http.Response broken = http.post("/v2/models/churn/infer", "{\"inputs\":[");
        assertEquals(400, broken.status());
        assertTrue(broken.error().startsWith("body: not valid JSON"), broken.error());
        assertBad("{\"inputs\":[{\"name\":\"age\",\"shape\":[1],\"datatype\":\"FP32\",\"data\":[1]}]}",
                "inputs: feature(s) income, tenure missing; send one tensor per feature (age, income, tenure) or a single tensor of shape [rows, 3]");
    }

    private void assertBad(String body, String error) {
        Http.Response r = http.post("/v2/models/churn/infer", body);
        assertEquals(400, r.status(), r.body());
        assertEquals(error, r.error());
    }

    @Test
    void predictorErrorsAre500WithoutStackTraces() {
        try (ModelServer failing = ModelServer.start(ServerConfig.builder().addModel(TestModels.spec(dir, "boom", 1)).optPort(0).build(),
                d -> new dev.mlops.model.Predictor() {
                    @Override
                    public dev.mlops.model.ModelSchema schema() {
                        return new TestModels.Linear(1).schema();
                    }

                    @Override
                    public double[][] predict(float[][] rows) {
                        throw new IllegalStateException("native engine crashed\n\tat somewhere");
                    }
                })) {
            failing.awaitReady(Duration.ofSeconds(5));
            Http.Response r = new Http(failing).post("/v2/models/boom/infer", Http.row(1, 2, 3));
            assertEquals(500, r.status());
            assertEquals("internal error: IllegalStateException: native engine crashed", r.error());
        }
    }

    @Test
    void adminPathsAreNotServedOnTheInferenceListener() {
        Http.Response r = http.post("/admin/traffic", "{}");
        assertEquals(404, r.status());
        assertTrue(r.error().startsWith("admin endpoints are served only on 127.0.0.1"), r.error());
    }
}
