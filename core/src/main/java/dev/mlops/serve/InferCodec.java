package dev.mlops.serve;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.JsonProcessingException;
import dev.mlops.model.ModelSchema;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads Open Inference Protocol (KServe v2) inference requests and writes responses. Requests are
 * read with Jackson's streaming parser straight into float arrays (no tree, no boxing). Tensor data
 * may be flat or nested; its datatype, shape and element count are checked, and every error names
 * the field, what was received and what is expected.
 */
final class InferCodec {
    static final String PROBABILITIES = "probabilities";
    static final String PREDICTED_CLASS = "predicted_class";
    static final String PREDICTIONS = "predictions";
    static final Set<String> NUMERIC = Set.of("BOOL", "UINT8", "UINT16", "UINT32", "UINT64", "INT8", "INT16", "INT32", "INT64",
            "FP16", "FP32", "FP64");
    private static final int MAX_DEPTH = 8;
    private static final int MAX_TENSORS = 4096;

    private static final JsonFactory FACTORY = JsonFactory.builder().build();

    private InferCodec() {
    }

    // ------------------------------------------------------------------ request

    static InferRequest parse(byte[] body) {
        if (body.length == 0) {
            throw HttpError.badRequest("body: empty; send {\"inputs\":[{\"name\":\"input-0\",\"shape\":[rows,features],\"datatype\":\"FP32\",\"data\":[...]}]}");
        }
        try (JsonParser p = FACTORY.createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw HttpError.badRequest("body: not a JSON object; send {\"inputs\":[...]} as in the Open Inference Protocol");
            }
            String id = null;
            List<Tensor> inputs = null;
            List<String> outputs = List.of();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                switch (field) {
                    case "id" -> {
                        if (value != JsonToken.VALUE_STRING) {
                            throw HttpError.badRequest("id: expected a string, got " + describe(value));
                        }
                        id = p.getText();
                    }
                    case "inputs" -> inputs = inputs(p, value);
                    case "outputs" -> outputs = outputs(p, value);
                    case "parameters" -> {
                        if (value != JsonToken.START_OBJECT && value != JsonToken.VALUE_NULL) {
                            throw HttpError.badRequest("parameters: expected an object, got " + describe(value));
                        }
                        p.skipChildren();
                    }
                    default -> p.skipChildren();
                }
            }
            if (p.nextToken() != null) {
                throw HttpError.badRequest("body: unexpected content after the JSON object; send one object");
            }
            if (inputs == null) {
                throw HttpError.badRequest("inputs: missing; send \"inputs\":[{\"name\":...,\"shape\":[rows,features],\"datatype\":\"FP32\",\"data\":[...]}]");
            }
            return new InferRequest(id, inputs, outputs);
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
            throw HttpError.badRequest("body: not valid JSON (" + abbreviate(String.valueOf(e.getOriginalMessage()).lines().findFirst().orElse("")) + where + ")");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<Tensor> inputs(JsonParser p, JsonToken value) throws IOException {
        if (value != JsonToken.START_ARRAY) {
            throw HttpError.badRequest("inputs: expected an array of tensors, got " + describe(value));
        }
        List<Tensor> inputs = new ArrayList<>(1);
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            if (inputs.size() >= MAX_TENSORS) {
                throw HttpError.badRequest("inputs: more than " + MAX_TENSORS + " tensors; send one [rows, features] tensor");
            }
            inputs.add(tensor(p, t, "inputs[" + inputs.size() + "]"));
        }
        return inputs;
    }

    private static List<String> outputs(JsonParser p, JsonToken value) throws IOException {
        if (value == JsonToken.VALUE_NULL) {
            return List.of();
        }
        if (value != JsonToken.START_ARRAY) {
            throw HttpError.badRequest("outputs: expected an array of {\"name\":...}, got " + describe(value));
        }
        List<String> names = new ArrayList<>();
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            String where = "outputs[" + names.size() + "]";
            if (t != JsonToken.START_OBJECT) {
                throw HttpError.badRequest(where + ": expected {\"name\":...}, got " + describe(t));
            }
            String name = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken v = p.nextToken();
                if (field.equals("name")) {
                    if (v != JsonToken.VALUE_STRING) {
                        throw HttpError.badRequest(where + ".name: expected a string, got " + describe(v));
                    }
                    name = p.getText();
                } else {
                    p.skipChildren();
                }
            }
            if (name == null) {
                throw HttpError.badRequest(where + ".name: missing; name the output, e.g. {\"name\":\"" + PROBABILITIES + "\"}");
            }
            names.add(name);
        }
        return names;
    }

    /** Accumulates tensor values and what kinds of tokens they were, before the datatype is known (fields come in any order). */
    private static final class Values {
        float[] data = new float[16];
        int count;
        boolean sawBool;
        boolean sawNumber;
        boolean sawFloat;
        boolean sawNegative;
        String badToken;
        int leafDepthMin = Integer.MAX_VALUE;
        int leafDepthMax;
        final int[] lengthAtDepth = new int[MAX_DEPTH + 1];
        boolean irregular;

        void add(float v) {
            if (count == data.length) {
                data = Arrays.copyOf(data, data.length * 2);
            }
            data[count++] = v;
        }
    }

    private static Tensor tensor(JsonParser p, JsonToken start, String where) throws IOException {
        if (start != JsonToken.START_OBJECT) {
            throw HttpError.badRequest(where + ": expected a tensor object {\"name\",\"shape\",\"datatype\",\"data\"}, got " + describe(start));
        }
        String name = null;
        long[] shape = null;
        String datatype = null;
        Values values = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken v = p.nextToken();
            switch (field) {
                case "name" -> {
                    if (v != JsonToken.VALUE_STRING) {
                        throw HttpError.badRequest(where + ".name: expected a string, got " + describe(v));
                    }
                    name = p.getText();
                }
                case "datatype" -> {
                    if (v != JsonToken.VALUE_STRING) {
                        throw HttpError.badRequest(where + ".datatype: expected a string such as \"FP32\", got " + describe(v));
                    }
                    datatype = p.getText();
                }
                case "shape" -> shape = shape(p, v, where);
                case "data" -> {
                    if (v != JsonToken.START_ARRAY) {
                        throw HttpError.badRequest(where + ".data: expected an array of numbers, got " + describe(v));
                    }
                    values = new Values();
                    data(p, values, 1, where);
                }
                default -> p.skipChildren();
            }
        }
        if (name == null) {
            throw HttpError.badRequest(where + ".name: missing; name the input tensor, e.g. \"input-0\"");
        }
        if (shape == null) {
            throw HttpError.badRequest(where + ".shape: missing; send \"shape\":[rows, features]");
        }
        if (datatype == null) {
            throw HttpError.badRequest(where + ".datatype: missing; send \"datatype\":\"FP32\" (or FP64, INT64, ...)");
        }
        if (values == null) {
            throw HttpError.badRequest(where + ".data: missing; send the values as a flat or nested array");
        }
        checkDatatype(where, datatype, values);
        Tensor tensor = new Tensor(name, shape, datatype, values.data, values.count);
        checkLayout(where, tensor, values);
        return tensor;
    }

    private static long[] shape(JsonParser p, JsonToken v, String where) throws IOException {
        if (v != JsonToken.START_ARRAY) {
            throw HttpError.badRequest(where + ".shape: expected an array of sizes such as [1, 10], got " + describe(v));
        }
        long[] shape = new long[4];
        int n = 0;
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            if (t != JsonToken.VALUE_NUMBER_INT || p.getNumberType() == JsonParser.NumberType.BIG_INTEGER || p.getLongValue() < 0) {
                throw HttpError.badRequest(where + ".shape: every size must be a non-negative integer; got " + p.getText());
            }
            if (n == MAX_DEPTH) {
                throw HttpError.badRequest(where + ".shape: more than " + MAX_DEPTH + " dimensions; send [rows, features]");
            }
            if (n == shape.length) {
                shape = Arrays.copyOf(shape, shape.length * 2);
            }
            shape[n++] = p.getLongValue();
        }
        return Arrays.copyOf(shape, n);
    }

    /** Reads an array (already opened) at {@code depth}, flattening into {@code values}. */
    private static void data(JsonParser p, Values values, int depth, String where) throws IOException {
        if (depth > MAX_DEPTH) {
            throw HttpError.badRequest(where + ".data: nested deeper than " + MAX_DEPTH + " levels; send a flat or [rows][features] array");
        }
        int length = 0;
        boolean leaves = false;
        boolean arrays = false;
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            length++;
            switch (t) {
                case START_ARRAY -> {
                    arrays = true;
                    data(p, values, depth + 1, where);
                }
                case VALUE_NUMBER_INT -> {
                    leaves = true;
                    values.sawNumber = true;
                    if (p.getNumberType() == JsonParser.NumberType.INT) {
                        int i = p.getIntValue();
                        values.sawNegative |= i < 0;
                        values.add(i);
                    } else {
                        double d = p.getDoubleValue();
                        values.sawNegative |= d < 0;
                        values.add((float) d);
                    }
                }
                case VALUE_NUMBER_FLOAT -> {
                    leaves = true;
                    values.sawNumber = true;
                    values.sawFloat = true;
                    double d = p.getDoubleValue();
                    values.sawNegative |= d < 0;
                    values.add((float) d);
                }
                case VALUE_TRUE, VALUE_FALSE -> {
                    leaves = true;
                    values.sawBool = true;
                    values.add(t == JsonToken.VALUE_TRUE ? 1f : 0f);
                }
                default -> {
                    if (values.badToken == null) {
                        values.badToken = describe(t) + (t == JsonToken.VALUE_STRING ? " \"" + abbreviate(p.getText()) + "\"" : "");
                    }
                    p.skipChildren();
                    leaves = true;
                }
            }
        }
        if (leaves && arrays) {
            values.irregular = true;
        }
        if (leaves || length == 0) {
            values.leafDepthMin = Math.min(values.leafDepthMin, depth);
            values.leafDepthMax = Math.max(values.leafDepthMax, depth);
        }
        if (values.lengthAtDepth[depth] == 0 && !values.irregular) {
            values.lengthAtDepth[depth] = length + 1;
        } else if (values.lengthAtDepth[depth] != length + 1) {
            values.irregular = true;
        }
    }

    private static void checkDatatype(String where, String datatype, Values values) {
        if (datatype.equals("BYTES")) {
            throw HttpError.badRequest(where + ".datatype: BYTES is not supported by a tabular model; send numbers as FP32, FP64 or INT64");
        }
        if (!NUMERIC.contains(datatype)) {
            throw HttpError.badRequest(where + ".datatype: '" + datatype + "' is not a tensor datatype; use FP32, FP64, INT64, INT32, BOOL, ...");
        }
        if (values.badToken != null) {
            throw HttpError.badRequest(where + ".data: holds " + values.badToken + "; datatype " + datatype + " needs numbers");
        }
        boolean bool = datatype.equals("BOOL");
        if (bool && values.sawNumber) {
            throw HttpError.badRequest(where + ".data: datatype BOOL needs true/false values; send numbers with FP32 instead");
        }
        if (!bool && values.sawBool) {
            throw HttpError.badRequest(where + ".data: holds true/false but datatype is " + datatype + "; use datatype BOOL or send numbers");
        }
        if ((datatype.startsWith("INT") || datatype.startsWith("UINT")) && values.sawFloat) {
            throw HttpError.badRequest(where + ".data: holds fractional numbers but datatype is " + datatype + "; use FP32 or FP64");
        }
        if (datatype.startsWith("UINT") && values.sawNegative) {
            throw HttpError.badRequest(where + ".data: holds negative numbers but datatype is " + datatype + "; use INT64 or FP32");
        }
    }

    private static void checkLayout(String where, Tensor tensor, Values values) {
        long expected = tensor.elements();
        if (expected != values.count) {
            throw HttpError.badRequest(where + ".data: " + values.count + " values but shape " + Arrays.toString(tensor.shape())
                    + " needs " + expected + "; send shape [rows, features] and rows*features values");
        }
        if (values.leafDepthMax > 1 || values.irregular) {
            boolean nestedOk = !values.irregular && values.leafDepthMin == values.leafDepthMax
                    && values.leafDepthMax == tensor.shape().length;
            for (int d = 1; nestedOk && d <= tensor.shape().length; d++) {
                nestedOk = values.lengthAtDepth[d] - 1 == tensor.shape()[d - 1];
            }
            if (!nestedOk) {
                throw HttpError.badRequest(where + ".data: nesting does not match shape " + Arrays.toString(tensor.shape())
                        + "; send a flat array or nested arrays of exactly that shape");
            }
        }
    }

    // ------------------------------------------------------------------ to model rows

    /**
     * The rows to score: either one tensor of shape [rows, features], or one tensor per feature
     * (named after it, shape [rows] or [rows, 1]) assembled in schema order.
     */
    static float[][] rows(InferRequest request, ModelSchema schema, String model) {
        int features = schema.features().size();
        List<Tensor> inputs = request.inputs();
        if (inputs.isEmpty()) {
            throw HttpError.badRequest("inputs: empty; send one tensor of shape [rows, " + features + "] (" + featureList(schema) + ")");
        }
        Map<String, Integer> column = new HashMap<>();
        for (int i = 0; i < features; i++) {
            column.put(schema.features().get(i), i);
        }
        Tensor first = inputs.get(0);
        boolean perFeature = inputs.size() > 1 || column.containsKey(first.name()) && isColumn(first.shape());
        if (!perFeature) {
            Tensor t = first;
            long[] shape = t.shape();
            if (shape.length != 2 || shape[1] != features) {
                throw HttpError.badRequest("inputs[0].shape: " + Arrays.toString(shape) + " does not fit model " + model
                        + "; expected [rows, " + features + "] (features: " + featureList(schema) + ")");
            }
            int rows = checkRows("inputs[0].shape", shape[0]);
            float[][] out = new float[rows][];
            for (int r = 0; r < rows; r++) {
                out[r] = Arrays.copyOfRange(t.data(), r * features, (r + 1) * features);
            }
            return out;
        }
        Tensor[] byColumn = new Tensor[features];
        long rows = -1;
        for (int i = 0; i < inputs.size(); i++) {
            Tensor t = inputs.get(i);
            Integer c = column.get(t.name());
            if (c == null) {
                throw HttpError.badRequest("inputs[" + i + "].name: '" + abbreviate(t.name()) + "' is not a feature of model " + model
                        + "; with one tensor per feature use the names " + featureList(schema)
                        + ", or send a single tensor of shape [rows, " + features + "]");
            }
            if (byColumn[c] != null) {
                throw HttpError.badRequest("inputs[" + i + "].name: feature '" + t.name() + "' is sent twice; send each feature once");
            }
            long[] shape = t.shape();
            if (!isColumn(shape)) {
                throw HttpError.badRequest("inputs[" + i + "].shape: " + Arrays.toString(shape) + " for feature '" + t.name()
                        + "'; a per-feature tensor has shape [rows] or [rows, 1]");
            }
            if (rows >= 0 && shape[0] != rows) {
                throw HttpError.badRequest("inputs[" + i + "].shape: " + shape[0] + " rows but inputs[0] has " + rows + "; send the same rows for every feature");
            }
            rows = shape[0];
            byColumn[c] = t;
        }
        List<String> missing = new ArrayList<>();
        for (int i = 0; i < features; i++) {
            if (byColumn[i] == null) {
                missing.add(schema.features().get(i));
            }
        }
        if (!missing.isEmpty()) {
            throw HttpError.badRequest("inputs: feature(s) " + String.join(", ", missing) + " missing; send one tensor per feature ("
                    + featureList(schema) + ") or a single tensor of shape [rows, " + features + "]");
        }
        int n = checkRows("inputs[0].shape", rows);
        float[][] out = new float[n][features];
        for (int c = 0; c < features; c++) {
            float[] data = byColumn[c].data();
            for (int r = 0; r < n; r++) {
                out[r][c] = data[r];
            }
        }
        return out;
    }

    private static boolean isColumn(long[] shape) {
        return shape.length == 1 || shape.length == 2 && shape[1] == 1;
    }

    private static int checkRows(String where, long rows) {
        if (rows < 1) {
            throw HttpError.badRequest(where + ": 0 rows; send at least one row");
        }
        if (rows > Integer.MAX_VALUE) {
            throw HttpError.badRequest(where + ": " + rows + " rows is too many; send smaller batches");
        }
        return (int) rows;
    }

    static String featureList(ModelSchema schema) {
        List<String> f = schema.features();
        return f.size() <= 12 ? String.join(", ", f) : String.join(", ", f.subList(0, 12)) + ", ... (" + f.size() + " in all)";
    }

    /** The output names a model offers. */
    static List<String> outputNames(ModelSchema schema) {
        return schema.isClassification() ? List.of(PROBABILITIES, PREDICTED_CLASS) : List.of(PREDICTIONS);
    }

    static void checkOutputs(InferRequest request, ModelSchema schema, String model) {
        List<String> offered = outputNames(schema);
        for (int i = 0; i < request.outputs().size(); i++) {
            String name = request.outputs().get(i);
            if (!offered.contains(name)) {
                throw HttpError.badRequest("outputs[" + i + "].name: '" + abbreviate(name) + "' is not an output of model " + model
                        + "; available: " + String.join(", ", offered));
            }
        }
    }

    // ------------------------------------------------------------------ response

    static byte[] response(String model, int version, String id, ModelSchema schema, double[][] scores, List<String> wanted) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(128 + scores.length * 48);
        try (JsonGenerator g = FACTORY.createGenerator(bytes)) {
            g.writeStartObject();
            g.writeStringField("model_name", model);
            g.writeStringField("model_version", Integer.toString(version));
            g.writeStringField("id", id);
            g.writeArrayFieldStart("outputs");
            int rows = scores.length;
            if (schema.isClassification()) {
                int k = schema.classes().size();
                if (wanted.isEmpty() || wanted.contains(PROBABILITIES)) {
                    startOutput(g, PROBABILITIES, "FP64", rows, k);
                    for (double[] row : scores) {
                        for (int j = 0; j < k; j++) {
                            number(g, row[j]);
                        }
                    }
                    endOutput(g);
                }
                if (wanted.isEmpty() || wanted.contains(PREDICTED_CLASS)) {
                    startOutput(g, PREDICTED_CLASS, "BYTES", rows, -1);
                    for (double[] row : scores) {
                        g.writeString(schema.classes().get(argmax(row, k)));
                    }
                    endOutput(g);
                }
            } else {
                startOutput(g, PREDICTIONS, "FP64", rows, 1);
                for (double[] row : scores) {
                    number(g, row[0]);
                }
                endOutput(g);
            }
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static void startOutput(JsonGenerator g, String name, String datatype, int rows, int columns) throws IOException {
        g.writeStartObject();
        g.writeStringField("name", name);
        g.writeArrayFieldStart("shape");
        g.writeNumber(rows);
        if (columns >= 0) {
            g.writeNumber(columns);
        }
        g.writeEndArray();
        g.writeStringField("datatype", datatype);
        g.writeArrayFieldStart("data");
    }

    private static void endOutput(JsonGenerator g) throws IOException {
        g.writeEndArray();
        g.writeEndObject();
    }

    private static void number(JsonGenerator g, double v) throws IOException {
        if (Double.isFinite(v)) {
            g.writeNumber(v);
        } else {
            g.writeNull();
        }
    }

    static int argmax(double[] row, int k) {
        int best = 0;
        for (int j = 1; j < k; j++) {
            if (row[j] > row[best]) {
                best = j;
            }
        }
        return best;
    }

    static String describe(JsonToken t) {
        if (t == null) {
            return "end of input";
        }
        return switch (t) {
            case START_OBJECT -> "an object";
            case START_ARRAY -> "an array";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            default -> t.toString();
        };
    }

    static String abbreviate(String s) {
        return s.length() <= 64 ? s : s.substring(0, 61) + "...";
    }
}
