package dev.mlops.evaluate;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Times a whole evaluation (CSV read, scoring, metrics, bootstraps of accuracy, log loss and ROC
 * AUC plus the ungated cheap metrics, McNemar, slices, reports) on synthetic rows. Argument: rows.
 */
public final class EvaluateBenchEndToEnd {
    private EvaluateBenchEndToEnd() {
    }

    public static void main(String[] args) throws Exception {
        int rows = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        Holdout generated = Fixtures.binaryHoldout(rows, 1);
        Path dir = Files.createTempDirectory("evaluate-bench");
        Path csv = dir.resolve("holdout.csv");
        StringBuilder b = new StringBuilder(rows * 40);
        b.append("x0,x1,x2,label,region\n");
        for (int i = 0; i < rows; i++) {
            b.append(generated.feature(i, 0)).append(',').append(generated.feature(i, 1)).append(',').append(generated.feature(i, 2))
                    .append(',').append(generated.classIndex(i) == 1 ? "pos" : "neg").append(',')
                    .append(generated.sliceValue("region", i)).append('\n');
        }
        Files.writeString(csv, b);
        long t0 = System.nanoTime();
        Holdout holdout = Holdout.read(csv, Fixtures.BINARY_SCHEMA, Holdout.Options.defaults().withSliceColumns(List.of("region")));
        long t1 = System.nanoTime();
        GateConfig gate = GateConfig.of(List.of(MetricGate.superiority(Metric.ACCURACY), MetricGate.superiority(Metric.LOG_LOSS),
                MetricGate.superiority(Metric.ROC_AUC)));
        EvaluationReport report = Evaluation.withDefaults().run(EvaluationRequest.builder().setHoldout(holdout)
                .setCandidate(ModelInput.of("cand", Fixtures.logistic(1, 0.8))).optBaseline(ModelInput.of("prod", Fixtures.logistic(1, 0)))
                .optGate(gate).build());
        long t2 = System.nanoTime();
        ReportWriter.write(report, dir);
        long t3 = System.nanoTime();
        System.out.printf(Locale.ROOT, "rows=%d csv=%.1f MB read=%.2f s evaluate=%.2f s (1000 resamples x 6 metrics incl. AUC) write=%.3f s%n%s%n",
                rows, Files.size(csv) / 1e6, (t1 - t0) / 1e9, (t2 - t1) / 1e9, (t3 - t2) / 1e9, report.verdict().reason());
        try (var files = Files.list(dir)) {
            for (Path f : files.toList()) {
                Files.delete(f);
            }
        }
        Files.delete(dir);
    }
}
