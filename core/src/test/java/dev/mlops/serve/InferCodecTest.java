package dev.mlops.serve;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.json.Json;
import dev.mlops.model.ModelSchema;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The streaming request reader agrees with Jackson's tree model on random requests, and rejects what Jackson rejects. */
class InferCodecTest {
    private static final String[] TYPES = {"FP32", "FP64", "FP16", "INT64", "INT32", "INT8", "UINT8", "UINT64", "BOOL"};

    @Test
    void agreesWithJacksonOnRandomRequests() throws IOException {
        SplittableRandom random = new SplittableRandom(20250101);
        for (int round = 0; round < 3000; round++) {
            String json = randomRequest(random);
            InferRequest parsed = InferCodec.parse(json.getBytes(StandardCharsets.UTF_8));
            JsonNode tree = Json.mapper().readTree(json);
            assertEquals(tree.has("id") ? tree.get("id").asText() : null, parsed.id(), json);
            JsonNode inputs = tree.get("inputs");
            assertEquals(inputs.size(), parsed.inputs().size(), json);
            for (int i = 0; i < inputs.size(); i++) {
                JsonNode expected = inputs.get(i);
                Tensor actual = parsed.inputs().get(i);
                assertEquals(expected.get("name").asText(), actual.name(), json);
                assertEquals(expected.get("datatype").asText(), actual.datatype(), json);
                long[] shape = new long[expected.get("shape").size()];
                for (int d = 0; d < shape.length; d++) {
                    shape[d] = expected.get("shape").get(d).asLong();
                }
                assertArrayEquals(shape, actual.shape(), json);
                List<Float> flat = new ArrayList<>();
                flatten(expected.get("data"), flat);
                float[] values = Arrays.copyOf(actual.data(), actual.count());
                assertEquals(flat.size(), values.length, json);
                for (int k = 0; k < values.length; k++) {
                    assertEquals(flat.get(k), values[k], json);
                }
            }
            List<String> outputs = new ArrayList<>();
            tree.path("outputs").forEach(o -> outputs.add(o.get("name").asText()));
            assertEquals(outputs, parsed.outputs(), json);
        }
    }

    @Test
    void rejectsWhatJacksonRejects() {
        SplittableRandom random = new SplittableRandom(7);
        for (int round = 0; round < 2000; round++) {
            String json = randomRequest(random);
            String broken = json.substring(0, 1 + random.nextInt(json.length() - 1));
            boolean jacksonOk;
            try {
                Json.mapper().readTree(broken);
                jacksonOk = broken.trim().endsWith("}");
            } catch (IOException e) {
                jacksonOk = false;
            }
            if (!jacksonOk) {
                HttpError e = assertThrows(HttpError.class, () -> InferCodec.parse(broken.getBytes(StandardCharsets.UTF_8)), broken);
                assertEquals(400, e.status());
            }
        }
    }

    @Test
    void rowsComeFromOneMatrixOrOneTensorPerFeature() {
        ModelSchema schema = new ModelSchema(ModelSchema.CLASSIFICATION, List.of("a", "b"), "y", List.of("n", "y"));
        float[][] matrix = InferCodec.rows(InferCodec.parse(
                "{\"inputs\":[{\"name\":\"x\",\"shape\":[2,2],\"datatype\":\"FP32\",\"data\":[[1,2],[3,4]]}]}".getBytes()), schema, "m");
        assertArrayEquals(new float[][] {{1, 2}, {3, 4}}, matrix);
        float[][] columns = InferCodec.rows(InferCodec.parse(("{\"inputs\":[{\"name\":\"b\",\"shape\":[2],\"datatype\":\"FP32\",\"data\":[2,4]},"
                + "{\"name\":\"a\",\"shape\":[2,1],\"datatype\":\"INT64\",\"data\":[[1],[3]]}]}").getBytes()), schema, "m");
        assertArrayEquals(new float[][] {{1, 2}, {3, 4}}, columns);
        float[][] bools = InferCodec.rows(InferCodec.parse(
                "{\"inputs\":[{\"name\":\"x\",\"shape\":[1,2],\"datatype\":\"BOOL\",\"data\":[true,false]}]}".getBytes()), schema, "m");
        assertArrayEquals(new float[][] {{1, 0}}, bools);
    }

    @Test
    void datatypeAndValuesMustAgree() {
        assertEquals("inputs[0].data: datatype BOOL needs true/false values; send numbers with FP32 instead", error("BOOL", "[1,0]"));
        assertEquals("inputs[0].data: holds true/false but datatype is FP32; use datatype BOOL or send numbers", error("FP32", "[true,false]"));
        assertEquals("inputs[0].data: holds negative numbers but datatype is UINT8; use INT64 or FP32", error("UINT8", "[-1,2]"));
        assertEquals("inputs[0].data: holds a string \"x\"; datatype FP32 needs numbers", error("FP32", "[\"x\",2]"));
        assertEquals("inputs[0].data: holds null; datatype FP64 needs numbers", error("FP64", "[null,2]"));
    }

    private static String error(String datatype, String data) {
        return assertThrows(HttpError.class, () -> InferCodec.parse(("{\"inputs\":[{\"name\":\"x\",\"shape\":[1,2],\"datatype\":\""
                + datatype + "\",\"data\":" + data + "}]}").getBytes())).getMessage();
    }

    @Test
    void responseIsValidJsonWithNullForNonFiniteScores() throws IOException {
        ModelSchema schema = new ModelSchema(ModelSchema.CLASSIFICATION, List.of("a"), "y", List.of("no", "yes"));
        byte[] body = InferCodec.response("m", 2, "id-\"1\"", schema, new double[][] {{0.25, 0.75}, {Double.NaN, 1}}, List.of());
        JsonNode node = Json.mapper().readTree(body);
        assertEquals("id-\"1\"", node.get("id").asText());
        assertTrue(node.get("outputs").get(0).get("data").get(2).isNull());
        assertEquals("yes", node.get("outputs").get(1).get("data").get(0).asText());
    }

    private static void flatten(JsonNode node, List<Float> out) {
        if (node.isArray()) {
            node.forEach(n -> flatten(n, out));
        } else if (node.isBoolean()) {
            out.add(node.asBoolean() ? 1f : 0f);
        } else {
            out.add((float) node.asDouble());
        }
    }

    /** A valid request with random layout: key order, whitespace, nesting, number formats, extra fields. */
    static String randomRequest(SplittableRandom random) {
        List<String> fields = new ArrayList<>();
        if (random.nextBoolean()) {
            fields.add("\"id\":" + jsonString(randomId(random)));
        }
        if (random.nextInt(3) == 0) {
            fields.add("\"parameters\":{\"content_type\":\"np\",\"n\":1,\"deep\":{\"x\":[1,{\"y\":null}]}}");
        }
        if (random.nextInt(3) == 0) {
            fields.add("\"outputs\":[{\"name\":\"probabilities\"}" + (random.nextBoolean() ? ",{\"name\":\"predicted_class\",\"parameters\":{}}" : "") + "]");
        }
        if (random.nextInt(4) == 0) {
            fields.add("\"unknown\":[1,2,{\"a\":\"b\"}]");
        }
        int tensors = 1 + random.nextInt(3);
        List<String> inputs = new ArrayList<>();
        for (int t = 0; t < tensors; t++) {
            inputs.add(randomTensor(random, "in" + t));
        }
        fields.add("\"inputs\":[" + String.join(ws(random) + "," + ws(random), inputs) + "]");
        Collections.shuffle(fields, new java.util.Random(random.nextLong()));
        return ws(random) + "{" + ws(random) + String.join("," + ws(random), fields) + ws(random) + "}" + ws(random);
    }

    private static String randomTensor(SplittableRandom random, String name) {
        String type = TYPES[random.nextInt(TYPES.length)];
        int rows = 1 + random.nextInt(4);
        int cols = 1 + random.nextInt(5);
        String[][] values = new String[rows][cols];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                values[r][c] = randomValue(random, type);
            }
        }
        String data;
        if (random.nextBoolean()) {
            List<String> flat = new ArrayList<>();
            for (String[] row : values) {
                flat.addAll(List.of(row));
            }
            data = "[" + String.join("," + ws(random), flat) + "]";
        } else {
            List<String> nested = new ArrayList<>();
            for (String[] row : values) {
                nested.add("[" + String.join(",", row) + "]");
            }
            data = "[" + String.join("," + ws(random), nested) + "]";
        }
        List<String> fields = new ArrayList<>(List.of("\"name\":" + jsonString(name), "\"shape\":[" + rows + "," + ws(random) + cols + "]",
                "\"datatype\":\"" + type + "\"", "\"data\":" + data));
        if (random.nextInt(4) == 0) {
            fields.add("\"parameters\":{\"p\":true}");
        }
        Collections.shuffle(fields, new java.util.Random(random.nextLong()));
        return "{" + String.join(",", fields) + "}";
    }

    private static String randomValue(SplittableRandom random, String type) {
        return switch (type) {
            case "BOOL" -> random.nextBoolean() ? "true" : "false";
            case "UINT8", "UINT64" -> Integer.toString(random.nextInt(256));
            case "INT8", "INT32" -> Integer.toString(random.nextInt(-100, 100));
            case "INT64" -> Long.toString(random.nextLong() >> random.nextInt(64));
            default -> switch (random.nextInt(6)) {
                case 0 -> Integer.toString(random.nextInt(-1000, 1000));
                case 1 -> Float.toString((float) random.nextGaussian());
                case 2 -> Double.toString(random.nextGaussian() * 1e6);
                case 3 -> String.format("%.3e", random.nextGaussian() * 1e-5);
                case 4 -> "-0.0";
                default -> Double.toString(random.nextDouble());
            };
        };
    }

    private static String randomId(SplittableRandom random) {
        String[] parts = {"req", "é", "\"q\"", "\\", "\n", "42", "\u2603"};
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 1 + random.nextInt(4); i++) {
            b.append(parts[random.nextInt(parts.length)]);
        }
        return b.toString();
    }

    private static String jsonString(String s) {
        return Json.toString(s);
    }

    private static String ws(SplittableRandom random) {
        return switch (random.nextInt(5)) {
            case 0 -> " ";
            case 1 -> "\n  ";
            case 2 -> "\t";
            default -> "";
        };
    }
}
