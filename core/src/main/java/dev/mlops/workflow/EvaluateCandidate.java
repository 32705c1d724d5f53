package dev.mlops.workflow;

import dev.mlops.error.InvalidInputException;
import dev.mlops.error.NotFoundException;
import dev.mlops.evaluate.Evaluation;
import dev.mlops.evaluate.EvaluationReport;
import dev.mlops.evaluate.EvaluationRequest;
import dev.mlops.evaluate.GateConfig;
import dev.mlops.evaluate.Holdout;
import dev.mlops.evaluate.ModelInput;
import dev.mlops.evaluate.ReportWriter;
import dev.mlops.model.ModelLoader;
import dev.mlops.model.ModelSchema;
import dev.mlops.model.Predictor;
import dev.mlops.registry.ModelRef;
import dev.mlops.registry.ModelRegistry;
import dev.mlops.registry.ModelVersion;
import dev.mlops.storage.ArtifactStores;
import dev.mlops.storage.TransferListener;
import dev.mlops.train.RunRecord;
import dev.mlops.train.RunStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * "Evaluate the candidate against production": resolve both models (a training run, a registry
 * version or a folder), score them on the same holdout, gate, and write the JSON + HTML report.
 * Shared by {@code mlops evaluate} and the Jenkins steps.
 */
public final class EvaluateCandidate {

    /**
     * @param candidate   {@code run:<id>}, a registry reference ({@code churn:4}, {@code churn@staging}) or a model folder
     * @param baseline    a registry reference or folder; null means {@code <model>@production}; "none" forces a first-model evaluation
     * @param model       the registered model name, used for the default baseline
     */
    public record Input(String registry, String model, String candidate, String baseline, String holdout, String labelColumn,
                        List<String> sliceColumns, String gateFile, String candidatePredictions, String baselinePredictions,
                        String reportDir, String runsDir) {
        public Input {
            sliceColumns = sliceColumns == null ? List.of() : List.copyOf(sliceColumns);
        }
    }

    /** The report, the files written, and what was compared. */
    public record Result(EvaluationReport report, List<Path> files, String candidate, String baseline) {
        public static final String SUMMARY_SCHEMA = "mlops.evaluation-summary/v1";

        public Path html() {
            return files.stream().filter(f -> f.toString().endsWith(".html")).findFirst().orElseThrow();
        }

        /** What `mlops evaluate --json` prints and the Jenkins steps return (schema {@value #SUMMARY_SCHEMA}). */
        public Map<String, Object> summary() {
            Map<String, Object> summary = new LinkedHashMap<>();
            summary.put("schema", SUMMARY_SCHEMA);
            summary.put("outcome", report.verdict().outcome().name());
            summary.put("reason", report.verdict().reason());
            summary.put("firstModel", report.firstModel());
            summary.put("candidate", candidate);
            summary.put("baseline", baseline);
            summary.put("rows", report.rows());
            summary.put("candidateMetrics", report.candidate().metrics());
            if (report.baseline() != null) {
                summary.put("baselineMetrics", report.baseline().metrics());
            }
            summary.put("report", html().toString());
            summary.put("reportJson", html().resolveSibling(ReportWriter.JSON_FILE).toString());
            return summary;
        }
    }

    private EvaluateCandidate() {
    }

    public static Result run(Input input, Path workingDir, Map<String, String> env, Clock clock, TransferListener listener) {
        if (input.candidate() == null || input.candidate().isBlank()) {
            throw new InvalidInputException("candidate: missing; pass run:<id> (from mlops train), NAME:VERSION or a model folder");
        }
        if (input.holdout() == null || input.holdout().isBlank()) {
            throw new InvalidInputException("holdout: missing; pass the CSV file both models are scored on");
        }
        Path reportDir = workingDir.resolve(input.reportDir() == null ? ".mlops/reports/evaluation" : input.reportDir());
        Path modelCache = reportDir.resolve("models");
        try (ModelRegistry registry = new ModelRegistry(
                ArtifactStores.open(ArtifactStores.resolveUri(input.registry(), env), workingDir, env), clock)) {
            Resolved candidate = resolveCandidate(input, workingDir, env, clock, registry, modelCache, listener);
            Optional<Resolved> baseline = resolveBaseline(input, workingDir, registry, modelCache, listener);
            ModelSchema schema = ModelSchema.read(candidate.dir());
            Holdout holdout = Holdout.read(workingDir.resolve(input.holdout()), schema,
                    Holdout.Options.defaults().withLabelColumn(input.labelColumn()).withSliceColumns(input.sliceColumns()));
            GateConfig gate = input.gateFile() == null ? GateConfig.defaultFor(schema.task())
                    : GateConfig.read(workingDir.resolve(input.gateFile()));

            List<Predictor> opened = new ArrayList<>();
            try {
                EvaluationRequest.Builder request = EvaluationRequest.builder().setHoldout(holdout).optGate(gate)
                        .optSliceColumns(input.sliceColumns())
                        .setCandidate(modelInput(candidate, input.candidatePredictions(), workingDir, opened));
                if (baseline.isPresent()) {
                    ModelSchema baselineSchema = ModelSchema.read(baseline.get().dir());
                    if (!baselineSchema.features().equals(schema.features())) {
                        throw new InvalidInputException("baseline: " + baseline.get().label() + " takes features " + baselineSchema.features()
                                + " but the candidate " + candidate.label() + " takes " + schema.features()
                                + "; evaluate against a baseline with the same inputs, or pass --baseline none for a first-model evaluation");
                    }
                    request.optBaseline(modelInput(baseline.get(), input.baselinePredictions(), workingDir, opened));
                }
                EvaluationReport report = new Evaluation(clock).run(request.build());
                List<Path> files = ReportWriter.write(report, reportDir);
                return new Result(report, files, candidate.label(), baseline.map(Resolved::label).orElse(null));
            } finally {
                opened.forEach(Predictor::close);
            }
        }
    }

    private record Resolved(String label, Path dir) {
    }

    private static ModelInput modelInput(Resolved model, String predictions, Path workingDir, List<Predictor> opened) {
        if (predictions != null && !predictions.isBlank()) {
            return ModelInput.predictions(model.label(), workingDir.resolve(predictions));
        }
        Predictor predictor = ModelLoader.load(model.dir());
        opened.add(predictor);
        return ModelInput.of(model.label(), predictor);
    }

    private static Resolved resolveCandidate(Input input, Path workingDir, Map<String, String> env, Clock clock,
                                             ModelRegistry registry, Path cache, TransferListener listener) {
        String candidate = input.candidate().trim();
        if (candidate.startsWith("run:")) {
            String id = candidate.substring("run:".length());
            RunRecord run = RunStore.open(input.runsDir(), workingDir, env, clock).get(id);
            if (!run.isSucceeded()) {
                throw new InvalidInputException("candidate: run " + id + " is " + run.status() + "; only a SUCCEEDED run can be evaluated");
            }
            return new Resolved("run " + id, Path.of(run.outputDir()));
        }
        return resolveModel(candidate, workingDir, registry, cache, listener)
                .orElseThrow(() -> new NotFoundException("candidate: '" + candidate + "' is neither a run, a model folder nor a registered version"));
    }

    private static Optional<Resolved> resolveBaseline(Input input, Path workingDir, ModelRegistry registry, Path cache,
                                                      TransferListener listener) {
        String baseline = input.baseline();
        if (baseline != null && baseline.equals("none")) {
            return Optional.empty();
        }
        if (baseline == null || baseline.isBlank()) {
            if (input.model() == null || input.model().isBlank()) {
                throw new InvalidInputException("model: missing; pass --model NAME so the baseline defaults to NAME@production, "
                        + "or pass --baseline explicitly");
            }
            // the first model has no production version: that is the first-model case, not an error
            boolean hasProduction = registry.findModel(input.model()).flatMap(m -> m.alias("production")).isPresent();
            if (!hasProduction) {
                return Optional.empty();
            }
            baseline = input.model() + "@production";
        }
        String reference = baseline;
        return Optional.of(resolveModel(reference, workingDir, registry, cache, listener)
                .orElseThrow(() -> new NotFoundException("baseline: '" + reference + "' is neither a model folder nor a registered version")));
    }

    private static Optional<Resolved> resolveModel(String reference, Path workingDir, ModelRegistry registry,
                                                   Path cache, TransferListener listener) {
        Path folder = workingDir.resolve(reference);
        if (Files.isDirectory(folder)) {
            return Optional.of(new Resolved(reference, folder));
        }
        ModelRef ref = ModelRef.parse(reference);
        ModelVersion version = registry.get(ref);
        Path dir = cache.resolve(version.model() + "-" + version.version());
        registry.download(new ModelRef(version.model(), version.version(), null), dir, listener);
        String label = ref.alias() != null ? version.ref() + " (@" + ref.alias() + ")" : version.ref();
        return Optional.of(new Resolved(label, dir));
    }
}
