package dev.mlops.cli;

import dev.mlops.drift.ReferenceProfiles;
import dev.mlops.error.InvalidInputException;
import dev.mlops.json.Json;
import dev.mlops.registry.Registration;
import dev.mlops.registry.VersionDocument;
import dev.mlops.lineage.Lineage;
import dev.mlops.train.RunRecord;
import dev.mlops.train.RunStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "register", mixinStandardHelpOptions = true,
        description = "Register model files as the next version of a model, with lineage (git, data, CI build).")
final class RegisterCommand implements Callable<Integer> {
    private final Context context;

    @Mixin
    RegistryOptions registry = new RegistryOptions();
    @Option(names = "--model", required = true, description = "Model name (letters, digits, . _ -)")
    String model;
    @Option(names = "--path", description = "Model file or folder; repeatable (not with --from-run)")
    List<String> paths = new ArrayList<>();
    @Option(names = "--format", description = "Model format, e.g. djl, onnx, pickle (default: unknown)")
    String format;
    @Option(names = "--metric", paramLabel = "NAME=NUMBER", description = "Metric; repeatable")
    List<String> metrics;
    @Option(names = "--param", paramLabel = "NAME=VALUE", description = "Training parameter; repeatable")
    List<String> params;
    @Option(names = "--tag", paramLabel = "KEY=VALUE", description = "Tag; repeatable")
    List<String> tags;
    @Option(names = "--dataset", paramLabel = "FILE", description = "Data file to fingerprint into the lineage; repeatable")
    List<String> datasets;
    @Option(names = "--description")
    String description;
    @Option(names = "--reason", description = "Why, for the audit log")
    String reason;
    @Option(names = "--alias", description = "Point this alias (e.g. staging) at the new version")
    String alias;
    @Option(names = "--run-id", description = "Training run id to record in the lineage")
    String runId;
    @Option(names = "--from-run", paramLabel = "RUN_ID",
            description = "Register the output of a SUCCEEDED training run (files, metrics, params, data lineage, run id)")
    String fromRun;
    @Option(names = "--runs-dir", description = "Training runs folder (default $MLOPS_RUNS_DIR or .mlops/runs)")
    String runsDir;
    @Option(names = "--reference-data", paramLabel = "CSV",
            description = "Training data to profile for drift (stored as reference-profile.json); --from-run uses the run's training data")
    String referenceData;
    @Option(names = "--json", description = "Print the new version as JSON (schema " + VersionDocument.SCHEMA + ")")
    boolean json;

    RegisterCommand(Context context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        Registration.Input input;
        Lineage trainingLineage = null;
        if (fromRun != null) {
            if (!paths.isEmpty()) {
                throw new InvalidInputException("--path: not allowed with --from-run; the run's output folder is registered");
            }
            RunRecord run = RunStore.open(runsDir, context.workingDir(), context.env(), context.clock()).get(fromRun);
            input = run.registrationInput(registry.registry, model, alias, reason, description, KeyValues.parse("--tag", tags));
            trainingLineage = run.lineage() == null ? null : run.lineage().withRunId(run.id());
        } else {
            if (paths.isEmpty()) {
                throw new InvalidInputException("--path: missing; pass the model file(s) or folder, or --from-run RUN_ID");
            }
            input = new Registration.Input(registry.registry, model, paths, format, description,
                    KeyValues.parse("--metric", metrics), KeyValues.parse("--param", params), KeyValues.parse("--tag", tags),
                    datasets, alias, reason, runId);
        }
        String profileData = referenceData != null ? referenceData
                : fromRun != null && !input.datasets().isEmpty() && java.nio.file.Files.isRegularFile(context.workingDir().resolve(input.datasets().get(0)))
                ? input.datasets().get(0) : null;
        java.util.Map<String, Object> document;
        if (profileData == null) {
            document = Registration.registerDocument(input, trainingLineage, context.workingDir(), context.env(),
                    context.clock(), new Progress(context.err(), "upload"));
        } else {
            try (ReferenceProfiles.Attached attached = ReferenceProfiles.attach(input, profileData, context.workingDir(), context.clock())) {
                document = Registration.registerDocument(attached.input(), trainingLineage, context.workingDir(), context.env(),
                        context.clock(), new Progress(context.err(), "upload"));
            }
        }
        if (json) {
            context.out().println(Json.toString(document));
        } else {
            Render.versionDocument(context.out(), document);
        }
        return 0;
    }
}
