package dev.mlops.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mlops.evaluate.Outcome;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class GatesTest {
    final ServerClient client = new ServerClient(Duration.ofSeconds(5));

    @Test
    void estimatesP99FromHistogramBucketsLikeHistogramQuantile() {
        MetricsSnapshot m = MetricsSnapshot.parse("""
                # TYPE mlops_serve_request_duration_seconds histogram
                mlops_serve_requests_total{model="churn",version="4",code="200"} 98
                mlops_serve_requests_total{model="churn",version="4",code="500"} 2
                mlops_serve_request_errors_total{model="churn",version="4",code="500"} 2
                mlops_serve_request_duration_seconds_bucket{model="churn",version="4",le="0.01"} 90
                mlops_serve_request_duration_seconds_bucket{model="churn",version="4",le="0.1"} 100
                mlops_serve_request_duration_seconds_bucket{model="churn",version="4",le="+Inf"} 100
                """);
        MetricsSnapshot.VersionMetrics v = m.version("churn", 4);
        assertEquals(100, v.requests());
        assertEquals(0.02, v.errorRate(), 1e-12);
        // rank 99 of 100 lies 9/10 into the (0.01, 0.1] bucket: 0.01 + 0.09 * 0.9 = 0.091 s
        assertEquals(91.0, v.quantileMillis(0.99), 1e-9);
        GateResult slo = new SloGate(new RolloutPlan.SloThresholds(50, 0.01)).check(v);
        assertEquals(Outcome.FAIL, slo.outcome());
        assertEquals(List.of("slo: error rate 0.0200 above 0.0100", "slo: p99 latency 91.0 ms above 50.0 ms"), slo.reasons());
        assertEquals(Outcome.INCONCLUSIVE, new SloGate(new RolloutPlan.SloThresholds(50, 0.01)).check(v.minus(v)).outcome());
    }

    @Test
    void smokeGateListsMismatchedRows() throws IOException {
        try (StubServer server = new StubServer()) {
            GateResult r = new SmokeGate(client, 1e-6).check(server.url(), "churn", 4, new float[][] {{1, 2}, {3, 4}},
                    new double[][] {{0.2, 0.8}, {0.6000001, 0.3999}});
            assertEquals(Outcome.FAIL, r.outcome());
            assertEquals("row 1 output 1: served 0.4, offline 0.3999", r.reasons().get(1));
            server.inferStatus = 500;
            assertEquals(Outcome.FAIL, new SmokeGate(client, 1e-6).check(server.url(), "churn", 4, new float[][] {{1, 2}, {3, 4}},
                    new double[][] {{0.2, 0.8}, {0.6, 0.4}}).outcome());
        }
    }

    @Test
    void psiIsZeroForEqualDistributionsAndFlagsAShift() {
        List<double[]> primary = new ArrayList<>();
        List<double[]> same = new ArrayList<>();
        List<double[]> shifted = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            primary.add(i % 2 == 0 ? new double[] {0.9, 0.1} : new double[] {0.1, 0.9});
            same.add(i % 2 == 0 ? new double[] {0.8, 0.2} : new double[] {0.3, 0.7});
            shifted.add(i % 10 == 0 ? new double[] {0.9, 0.1} : new double[] {0.1, 0.9});
        }
        assertEquals(0.0, CanaryAnalysis.psi(same, primary), 1e-12);
        double psi = CanaryAnalysis.psi(shifted, primary);
        assertTrue(psi > 0.5, "psi " + psi);
        MetricsSnapshot.VersionMetrics healthy = MetricsSnapshot.parse(
                "mlops_serve_requests_total{model=\"m\",version=\"1\",code=\"200\"} 100\n").version("m", 1);
        GateResult r = new CanaryAnalysis(RolloutPlan.AnalysisThresholds.DEFAULTS).analyse(healthy, shifted, primary);
        assertEquals(Outcome.FAIL, r.outcome());
        assertTrue(r.reasons().get(0).startsWith("canary: prediction shift PSI"), r.reasons().toString());
    }
}
