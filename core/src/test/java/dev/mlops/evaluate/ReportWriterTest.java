package dev.mlops.evaluate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.json.Json;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;

class ReportWriterTest {
    static final String HOSTILE = "<img onerror=x>";

    static EvaluationReport hostileReport(boolean withBaseline) {
        int n = 4000;
        Holdout base = Fixtures.binaryHoldout(n, 5);
        float[][] x = new float[n][];
        int[] y = new int[n];
        List<String> region = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            x[i] = new float[] {base.feature(i, 0), base.feature(i, 1), base.feature(i, 2)};
            y[i] = base.classIndex(i);
            region.add(i % 5 == 0 ? HOSTILE : "r\"&'" + (i % 3));
        }
        Holdout holdout = Holdout.ofClassification(Fixtures.BINARY_SCHEMA, x, y, Map.of("region", region));
        GateConfig gate = GateConfig.of(List.of(MetricGate.superiority(Metric.ACCURACY), MetricGate.superiority(Metric.ROC_AUC)))
                .withResamples(200).withSliceGate(new SliceGate(List.of("region"), Metric.ACCURACY, 0.5, null, null, 1));
        EvaluationRequest.Builder b = EvaluationRequest.builder().setHoldout(holdout)
                .setCandidate(ModelInput.of("cand <b>bold</b>", Fixtures.logistic(1, 0.8))).optGate(gate);
        if (withBaseline) {
            b.optBaseline(ModelInput.of("prod & co", Fixtures.logistic(1, 0)));
        }
        return EvaluationTest.EVALUATION.run(b.build());
    }

    @Test
    void writesBothFilesAtomicallyAndTheJsonReadsBack(@TempDir Path dir) throws Exception {
        EvaluationReport report = hostileReport(true);
        List<Path> written = ReportWriter.write(report, dir.resolve("reports"));
        assertEquals(List.of(dir.resolve("reports/evaluation.json"), dir.resolve("reports/evaluation.html")), written);
        try (Stream<Path> files = Files.list(dir.resolve("reports"))) {
            assertEquals(2, files.count(), "no temporary files are left behind");
        }
        assertEquals("rw-r--r--", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(written.get(1))));
        String json = Files.readString(written.get(0));
        JsonNode node = Json.mapper().readTree(json);
        assertEquals("mlops.evaluation/v1", node.get("schema").asText());
        assertEquals(report.verdict().outcome().name(), node.get("verdict").get("outcome").asText());
        assertEquals("accuracy", node.get("comparisons").get(0).get("metric").asText());
        assertEquals("higher_is_better", node.get("comparisons").get(0).get("direction").asText());
        assertEquals("chi_square_continuity", node.get("mcnemar").get("method").asText());
        assertEquals(200, node.get("gate").get("bootstrap_resamples").asInt());
        EvaluationReport back = ReportWriter.readJson(written.get(0));
        assertEquals(json, ReportWriter.toJson(back), "the JSON round-trips through the records");
        ReportWriter.write(report, dir.resolve("reports"));
        assertEquals(json, Files.readString(written.get(0)), "rewriting replaces the files");
    }

    @Test
    void theHtmlIsSelfContainedWellFormedAndEscapesEverything(@TempDir Path dir) throws Exception {
        EvaluationReport report = hostileReport(true);
        String html = ReportWriter.toHtml(report);
        assertTrue(html.startsWith("<!DOCTYPE html>"));
        assertTrue(html.contains("<svg"));
        assertFalse(html.toLowerCase().contains("<script"), "no scripts");
        assertFalse(html.contains("http://") || html.contains("https://"), "no external references");
        assertFalse(html.contains("src=") || html.contains("<link") || html.contains("@import") || html.contains("url("),
                "no external assets or fonts");
        assertFalse(html.contains(HOSTILE), "the hostile slice value is escaped");
        assertTrue(html.contains("&lt;img onerror=x&gt;"), "and still shown");
        assertFalse(html.contains("<b>bold</b>"));
        assertTrue(html.contains("prod &amp; co"));
        assertTrue(html.contains("r&quot;&amp;&#39;1"));
        assertTrue(html.contains("class=\"worst\""), "the worst slice is highlighted");
        assertTrue(html.contains("Positive class: pos"));
        assertTrue(html.contains("Confusion matrices"));
        assertTrue(html.contains("stroke-dasharray=\"5 3\""), "the baseline's ROC curve is drawn");

        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(html.getBytes(StandardCharsets.UTF_8)));
        assertEquals("html", doc.getDocumentElement().getTagName());
        assertEquals(0, doc.getElementsByTagName("script").getLength());
        assertEquals(1, doc.getElementsByTagName("svg").getLength());
        assertEquals(2, doc.getElementsByTagName("polyline").getLength());
    }

    @Test
    void theHtmlOfAFirstModelSaysThereIsNoBaseline() throws Exception {
        EvaluationReport report = hostileReport(false);
        String html = ReportWriter.toHtml(report);
        assertTrue(html.contains("First model: there is no baseline to compare with"), "first-model note");
        assertTrue(html.contains("first model: no baseline, passed by policy") || report.verdict().outcome() != Outcome.PASS);
        DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(new ByteArrayInputStream(html.getBytes(StandardCharsets.UTF_8)));
        assertEquals(1, Json.mapper().readTree(ReportWriter.toJson(report)).get("candidate").get("rocCurves").size());
    }
}
