package dev.mlops.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.evaluate.Outcome;
import dev.mlops.json.Json;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Sends holdout rows to the staged endpoint (KServe v2 infer over HTTP) and requires its answers to
 * equal the offline predictions within {@code tolerance}. FAIL lists the first mismatches; ERROR
 * means the endpoint could not be asked or answered something unreadable.
 */
public final class SmokeGate {
    public static final double DEFAULT_TOLERANCE = 1e-6;
    private static final int MAX_LISTED = 10;
    private final ServerClient client;
    private final double tolerance;

    public SmokeGate(ServerClient client, double tolerance) {
        this.client = client;
        this.tolerance = tolerance;
    }

    /**
     * @param rows     holdout feature rows
     * @param expected the offline predictions of those rows (probabilities per class, or one value for regression)
     */
    public GateResult check(URI base, String model, int version, float[][] rows, double[][] expected) {
        if (rows.length == 0 || rows.length != expected.length) {
            return new GateResult("smoke", Outcome.ERROR, List.of("smoke: " + rows.length + " rows but " + expected.length
                    + " expected predictions; give one offline prediction per holdout row"), Map.of());
        }
        URI uri = base.resolve("/v2/models/" + model + "/versions/" + version + "/infer");
        ServerClient.Response response;
        try {
            response = client.post(uri, request(rows), null);
        } catch (RuntimeException e) {
            return new GateResult("smoke", Outcome.ERROR, List.of(e.getMessage()), Map.of());
        }
        if (response.status() != 200) {
            return new GateResult("smoke", Outcome.FAIL, List.of("smoke: " + uri + " answered HTTP " + response.status() + ": "
                    + abbreviate(response.body())), Map.of("rows", (double) rows.length));
        }
        double[][] actual;
        try {
            actual = predictions(response.body(), rows.length);
        } catch (IOException | RuntimeException e) {
            return new GateResult("smoke", Outcome.ERROR, List.of("smoke: unreadable answer from " + uri + " (" + e.getMessage() + ")"), Map.of());
        }
        List<String> mismatches = new ArrayList<>();
        int mismatched = 0;
        double maxDiff = 0;
        for (int i = 0; i < rows.length; i++) {
            if (actual[i].length != expected[i].length) {
                mismatched++;
                if (mismatches.size() < MAX_LISTED) {
                    mismatches.add("row " + i + ": " + actual[i].length + " outputs, expected " + expected[i].length);
                }
                continue;
            }
            for (int j = 0; j < expected[i].length; j++) {
                double diff = Math.abs(actual[i][j] - expected[i][j]);
                maxDiff = Math.max(maxDiff, Double.isNaN(diff) ? Double.POSITIVE_INFINITY : diff);
                if (!(diff <= tolerance)) {
                    mismatched++;
                    if (mismatches.size() < MAX_LISTED) {
                        mismatches.add("row " + i + " output " + j + ": served " + actual[i][j] + ", offline " + expected[i][j]);
                    }
                    break;
                }
            }
        }
        Map<String, Double> measured = Map.of("rows", (double) rows.length, "mismatched", (double) mismatched, "maxAbsDiff", maxDiff);
        if (mismatched == 0) {
            return new GateResult("smoke", Outcome.PASS, List.of(), measured);
        }
        List<String> reasons = new ArrayList<>();
        reasons.add("smoke: " + mismatched + " of " + rows.length + " rows differ from the offline predictions by more than " + tolerance);
        reasons.addAll(mismatches);
        return new GateResult("smoke", Outcome.FAIL, reasons, measured);
    }

    static String request(float[][] rows) {
        int features = rows[0].length;
        StringBuilder b = new StringBuilder("{\"inputs\":[{\"name\":\"input-0\",\"shape\":[").append(rows.length).append(',')
                .append(features).append("],\"datatype\":\"FP32\",\"data\":[");
        for (int i = 0; i < rows.length; i++) {
            for (int j = 0; j < features; j++) {
                if (i + j > 0) {
                    b.append(',');
                }
                b.append(rows[i][j]);
            }
        }
        return b.append("]}]}").toString();
    }

    /** The "probabilities" (or "predictions") output of a v2 answer, reshaped to rows. */
    static double[][] predictions(String body, int rows) throws IOException {
        JsonNode outputs = Json.mapper().readTree(body).path("outputs");
        for (String wanted : List.of("probabilities", "predictions")) {
            for (JsonNode out : outputs) {
                if (wanted.equals(out.path("name").asText())) {
                    JsonNode data = out.path("data");
                    int columns = out.path("shape").size() > 1 ? out.path("shape").get(1).asInt() : 1;
                    if (data.size() != rows * columns) {
                        throw new IOException("output " + wanted + " has " + data.size() + " values for " + rows + " rows");
                    }
                    double[][] result = new double[rows][columns];
                    for (int i = 0; i < rows; i++) {
                        for (int j = 0; j < columns; j++) {
                            result[i][j] = data.get(i * columns + j).asDouble(Double.NaN);
                        }
                    }
                    return result;
                }
            }
        }
        throw new IOException("no 'probabilities' or 'predictions' output");
    }

    private static String abbreviate(String s) {
        return s == null ? "" : s.length() <= 200 ? s : s.substring(0, 197) + "...";
    }
}
