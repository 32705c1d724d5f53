package dev.mlops.drift;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * Our statistics against scipy's on the same samples (scripts/known-answers/drift_vectors.py writes
 * drift/known-answers.json). Tolerances: statistics and distances 1e-9 relative; exact KS and chi-square
 * p-values 1e-6 relative; asymptotic KS p-values 2% relative (scipy uses the finite-n distribution
 * kstwo(round(nm/(n+m))), commons-statistics the limiting Kolmogorov distribution).
 */
class DriftKnownAnswersTest {
    private static JsonNode answers() throws IOException {
        try (InputStream in = DriftKnownAnswersTest.class.getResourceAsStream("/drift/known-answers.json")) {
            return Json.mapper().readTree(in);
        }
    }

    private static double[] array(JsonNode node) {
        double[] out = new double[node.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = node.get(i).asDouble();
        }
        return out;
    }

    private static void close(double expected, double actual, double relative, String what) {
        assertEquals(expected, actual, Math.max(Math.abs(expected) * relative, 1e-300), what);
    }

    @Test
    void ksMatchesScipy() throws IOException {
        for (JsonNode c : answers().get("ks")) {
            DriftStatistics.Result r = DriftStatistics.ks(array(c.get("a")), array(c.get("b")));
            String what = "ks " + c.get("method").asText() + " n=" + c.get("a").size() + " m=" + c.get("b").size();
            close(c.get("statistic").asDouble(), r.statistic(), 1e-9, what + " statistic");
            double tolerance = c.get("method").asText().equals("asymp") ? 0.02 : 1e-6;
            close(c.get("p_value").asDouble(), r.pValue(), tolerance, what + " p-value");
        }
    }

    @Test
    void wassersteinMatchesScipy() throws IOException {
        for (JsonNode c : answers().get("wasserstein")) {
            double[] a = array(c.get("a"));
            double[] b = array(c.get("b"));
            Arrays.sort(a);
            Arrays.sort(b);
            close(c.get("distance").asDouble(), DriftStatistics.wasserstein(a, b), 1e-9, "wasserstein n=" + a.length);
        }
    }

    @Test
    void jensenShannonMatchesScipyNaturalLog() throws IOException {
        for (JsonNode c : answers().get("jensen_shannon")) {
            close(c.get("distance").asDouble(), DriftStatistics.jensenShannon(array(c.get("p")), array(c.get("q"))), 1e-9,
                    "jensen-shannon k=" + c.get("p").size());
        }
    }

    @Test
    void chiSquareMatchesScipyContingency() throws IOException {
        for (JsonNode c : answers().get("chi_square")) {
            DriftStatistics.Result r = DriftStatistics.chiSquare(array(c.get("reference")), array(c.get("current")));
            close(c.get("statistic").asDouble(), r.statistic(), 1e-9, "chi2 dof=" + c.get("dof").asInt());
            close(c.get("p_value").asDouble(), r.pValue(), 1e-6, "chi2 p dof=" + c.get("dof").asInt());
        }
    }

    @Test
    void proportionZTestMatchesUncorrectedContingency() throws IOException {
        for (JsonNode c : answers().get("z_test")) {
            DriftStatistics.Result r = DriftStatistics.proportionZTest(c.get("x1").asDouble(), c.get("n1").asDouble(),
                    c.get("x2").asDouble(), c.get("n2").asDouble());
            close(c.get("z_squared").asDouble(), r.statistic() * r.statistic(), 1e-9, "z^2");
            close(c.get("p_value").asDouble(), r.pValue(), 1e-6, "z p-value");
        }
    }

    @Test
    void psiMatchesFormula() throws IOException {
        for (JsonNode c : answers().get("psi")) {
            close(c.get("psi").asDouble(), DriftStatistics.psi(array(c.get("reference")), array(c.get("current"))), 1e-9, "psi");
        }
    }
}
