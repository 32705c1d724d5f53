package dev.mlops.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.json.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Reads the model server's inference log ({@code inference-NNNNNN.jsonl}, one JSON object a line
 * with {@code ts}, {@code model}, {@code version}, {@code route}, {@code outputs}) and returns the
 * output rows of one version in a time window. Shadow scorings and lines it cannot read are skipped.
 */
public final class PredictionLog {
    private PredictionLog() {
    }

    public static List<double[]> outputs(Path dir, String model, int version, Instant from, Instant to) {
        List<double[]> rows = new ArrayList<>();
        if (dir == null || !Files.isDirectory(dir)) {
            return rows;
        }
        List<Path> files;
        try (Stream<Path> list = Files.list(dir)) {
            files = list.filter(p -> p.getFileName().toString().matches("inference-\\d+\\.jsonl")).sorted().toList();
        } catch (IOException e) {
            return rows;
        }
        for (Path file : files) {
            try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                String line;
                while ((line = in.readLine()) != null) {
                    read(line, model, version, from, to, rows);
                }
            } catch (IOException e) {
                // a file rotated away while reading: the rest is still evidence
            }
        }
        return rows;
    }

    private static void read(String line, String model, int version, Instant from, Instant to, List<double[]> rows) {
        JsonNode node;
        try {
            node = Json.mapper().readTree(line);
        } catch (IOException e) {
            return; // a line cut by a crash
        }
        if (!model.equals(node.path("model").asText()) || node.path("version").asInt() != version
                || "shadow".equals(node.path("route").asText()) || !node.has("outputs")) {
            return;
        }
        Instant ts;
        try {
            ts = Instant.parse(node.path("ts").asText());
        } catch (RuntimeException e) {
            return;
        }
        if (from != null && ts.isBefore(from) || to != null && !ts.isBefore(to)) {
            return;
        }
        for (JsonNode out : node.get("outputs")) {
            double[] row = new double[out.size()];
            for (int j = 0; j < row.length; j++) {
                row[j] = out.get(j).asDouble();
            }
            rows.add(row);
        }
    }
}
