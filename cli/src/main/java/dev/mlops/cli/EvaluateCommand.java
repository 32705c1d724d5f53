package dev.mlops.cli;

import dev.mlops.evaluate.EvaluationReport;
import dev.mlops.evaluate.Verdict;
import dev.mlops.json.Json;
import dev.mlops.workflow.EvaluateCandidate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = {"Score the candidate and the production model on the same holdout and gate on the difference,",
                "with thresholds and statistical confidence. Writes evaluation.json and evaluation.html.",
                "Exit 0 PASS, 5 FAIL, 6 INCONCLUSIVE, 7 ERROR (use --no-fail to always exit 0 after writing the report)."})
final class EvaluateCommand implements Callable<Integer> {
    private final Context context;
    @Mixin
    RegistryOptions registry = new RegistryOptions();
    @Option(names = "--model", description = "Registered model name; the baseline defaults to MODEL@production")
    String model;
    @Option(names = "--candidate", required = true, description = "run:<id> (from mlops train), NAME:VERSION, NAME@ALIAS or a model folder")
    String candidate;
    @Option(names = "--baseline", description = "NAME:VERSION, NAME@ALIAS or a folder (default MODEL@production; 'none' = first model)")
    String baseline;
    @Option(names = "--holdout", required = true, description = "CSV both models are scored on")
    String holdout;
    @Option(names = "--label", description = "Label column (default: the model schema's)")
    String label;
    @Option(names = "--slice", paramLabel = "COLUMN", description = "Report metrics per value of this column; repeatable")
    List<String> slices = new ArrayList<>();
    @Option(names = "--gate", paramLabel = "FILE", description = "Gate configuration (JSON); default: the task's default gate")
    String gate;
    @Option(names = "--candidate-predictions", paramLabel = "CSV", description = "Precomputed candidate predictions instead of loading it")
    String candidatePredictions;
    @Option(names = "--baseline-predictions", paramLabel = "CSV", description = "Precomputed baseline predictions instead of loading it")
    String baselinePredictions;
    @Option(names = "--report-dir", description = "Where the reports go (default .mlops/reports/evaluation)")
    String reportDir;
    @Option(names = "--runs-dir", description = "Training runs folder (default $MLOPS_RUNS_DIR or .mlops/runs)")
    String runsDir;
    @Option(names = "--no-fail", description = "Exit 0 whatever the verdict (the verdict is still printed and written)")
    boolean noFail;
    @Option(names = "--json", description = "Print a summary as JSON (schema mlops.evaluation-summary/v1); the full report is evaluation.json")
    boolean json;

    EvaluateCommand(Context context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        EvaluateCandidate.Result result = EvaluateCandidate.run(new EvaluateCandidate.Input(registry.registry, model, candidate, baseline,
                holdout, label, slices, gate, candidatePredictions, baselinePredictions, reportDir, runsDir),
                context.workingDir(), context.env(), context.clock(), new Progress(context.err(), "download"));
        EvaluationReport report = result.report();
        Verdict verdict = report.verdict();
        if (json) {
            Map<String, Object> summary = result.summary();
            context.out().println(Json.toString(summary));
        } else {
            context.out().printf("Evaluated %s against %s on %d rows of %s%n", result.candidate(),
                    result.baseline() == null ? "nothing (first model)" : result.baseline(), report.rows(), holdout);
            for (Verdict.MetricDecision decision : verdict.metrics()) {
                context.out().printf("  %-12s %-13s %s%n", decision.metric(), decision.outcome(), decision.reason());
            }
            String reason = verdict.reason().startsWith(verdict.outcome().name()) ? verdict.reason()
                    : verdict.outcome() + ": " + verdict.reason();
            context.out().println("Verdict: " + reason);
            context.out().println("Report:  " + result.html());
        }
        if (noFail) {
            return 0;
        }
        return switch (verdict.outcome()) {
            case PASS -> 0;
            case FAIL -> 5;
            case INCONCLUSIVE -> 6;
            case ERROR -> 7;
        };
    }
}
