package dev.mlops.cli;

import dev.mlops.audit.AuditEvent;
import dev.mlops.audit.AuditVerification;
import dev.mlops.evaluate.Outcome;
import dev.mlops.evaluate.Verdict;
import dev.mlops.registry.Caller;
import dev.mlops.registry.ModelRef;
import dev.mlops.registry.ModelRegistry;
import dev.mlops.registry.ModelVersion;
import dev.mlops.registry.Registration;
import dev.mlops.registry.VersionDocument;
import dev.mlops.registry.VersionView;
import dev.mlops.train.RunRecord;
import dev.mlops.train.RunStatus;
import dev.mlops.train.RunStore;
import dev.mlops.train.TrainRequest;
import dev.mlops.train.Trainer;
import dev.mlops.train.Trainers;
import dev.mlops.train.TrainingListener;
import dev.mlops.train.TrainingOutcome;
import dev.mlops.train.TrainingService;
import dev.mlops.workflow.EvaluateCandidate;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The main job on embedded defaults (local registry folder, local runs folder, nothing to
 * install): train a first model with the built-in DJL trainer, evaluate it (first model: passes by
 * policy), register it and make it production; train a better candidate, evaluate it against
 * production on the same holdout with the statistical gate, register it and promote it only if the
 * gate passes; print lineage, report paths and the audit log.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Run the end-to-end demo on embedded defaults (local registry folder).")
final class DemoCommand implements Callable<Integer> {
    static final String MODEL = "demo-churn";
    private final Context context;
    @Mixin
    RegistryOptions registry = new RegistryOptions();
    @Option(names = "--workdir", description = "Where the demo writes its data, runs and reports (default .mlops/demo)")
    Path workdir;

    DemoCommand(Context context) {
        this.context = context;
    }

    private record Candidate(String label, Map<String, String> params) {
    }

    @Override
    public Integer call() throws IOException {
        Path dir = context.workingDir().resolve(workdir != null ? workdir : Path.of(".mlops", "demo"));
        Files.createDirectories(dir);
        Path train = dir.resolve("train.csv");
        Path holdout = dir.resolve("holdout.csv");
        step("1/6", "Generating churn data (seeded): " + rel(train) + " (4,000 rows), " + rel(holdout) + " (2,000 rows)");
        writeDataset(train, 4000, 7);
        writeDataset(holdout, 2000, 8);

        RunStore runs = new RunStore(dir.resolve("runs"), context.clock());
        List<String> reports = new ArrayList<>();
        Candidate small = new Candidate("a small MLP (hidden 2, 3 epochs)",
                Map.of("label", "churned", "hidden", "2", "epochs", "3", "learning_rate", "0.01"));
        Candidate large = new Candidate("a larger MLP (hidden 32,16, 25 epochs)",
                Map.of("label", "churned", "hidden", "32,16", "epochs", "25", "learning_rate", "0.01"));

        step("2/6", "Training " + small.label() + " with the built-in DJL trainer (PyTorch, CPU)");
        RunRecord first = train(runs, train, small);
        step("3/6", "Evaluating it against " + MODEL + "@production on the same holdout, then registering if the gate passes");
        evaluateAndRelease(dir, runs, holdout, first, reports);

        step("4/6", "Training " + large.label());
        RunRecord second = train(runs, train, large);
        step("5/6", "Evaluating the candidate against production (paired bootstrap + McNemar), releasing only on PASS");
        evaluateAndRelease(dir, runs, holdout, second, reports);

        step("6/6", "Lineage of " + MODEL + "@production and the audit log");
        try (ModelRegistry opened = registry.open(context)) {
            ModelVersion production = opened.get(new ModelRef(MODEL, null, "production"));
            Render.versionDocument(context.out(), VersionDocument.of(new VersionView(production,
                    opened.model(MODEL).aliasesOf(production.version()), false), opened.location()));
            List<AuditEvent> events = opened.audit().read(1, 0);
            context.out().println();
            for (AuditEvent event : events.subList(Math.max(0, events.size() - 8), events.size())) {
                Render.auditEvent(context.out(), event);
            }
            AuditVerification verification = opened.audit().verify();
            context.out().printf("  chain: %s, %d events%n", verification.intact() ? "intact" : "TAMPERED: " + verification.problem(),
                    verification.events());
            context.out().println();
            context.out().println("Registry: " + opened.location());
        }
        context.out().println("Reports:");
        reports.forEach(r -> context.out().println("  " + r));
        context.out().println("Next: ./mlops models show " + MODEL + "   ./mlops audit --verify");
        return 0;
    }

    private RunRecord train(RunStore runs, Path data, Candidate candidate) {
        Trainer trainer = Trainers.create("djl-mlp", null);
        TrainRequest request = TrainRequest.builder().setWorkingDir(context.workingDir()).optDataset(context.workingDir().relativize(data.toAbsolutePath()))
                .optParams(candidate.params()).optSeed(42).optEnv(context.env()).build();
        TrainingOutcome outcome = new TrainingService(runs, context.clock()).train(trainer, request, TrainingListener.printTo(context.out()));
        RunRecord run = outcome.run();
        if (run.status() != RunStatus.SUCCEEDED) {
            throw new IllegalStateException("demo training failed: " + run.error());
        }
        context.out().printf("  run %s %s, metrics: %s%n", run.id(), outcome.reused() ? "(reused: same code, data and params)" : "trained",
                Render.join(rounded(run.metrics())));
        return run;
    }

    private void evaluateAndRelease(Path dir, RunStore runs, Path holdout, RunRecord run, List<String> reports) {
        Path reportDir = dir.resolve("reports").resolve(run.id());
        EvaluateCandidate.Result result = EvaluateCandidate.run(new EvaluateCandidate.Input(registry.registry, MODEL, "run:" + run.id(),
                        null, rel(holdout), null, List.of("region"), null, null, null, rel(reportDir), rel(runs.root())),
                context.workingDir(), context.env(), context.clock(), (k, d, t) -> { });
        Verdict verdict = result.report().verdict();
        context.out().printf("  candidate %s vs %s: %s%n", result.candidate(), result.baseline() == null ? "no production model yet" : result.baseline(),
                verdict.reason());
        context.out().println("  report: " + rel(result.html()));
        reports.add(rel(result.html()));
        if (verdict.outcome() != Outcome.PASS) {
            context.out().println("  not released: the gate did not pass (production keeps its version)");
            return;
        }
        Registration.Input input = run.registrationInput(registry.registry, MODEL, "staging", "demo: gate " + verdict.outcome(),
                "demo churn MLP", Map.of("team", "demo"));
        Map<String, Object> registered = Registration.registerDocument(input,
                run.lineage() == null ? null : run.lineage().withRunId(run.id()), context.workingDir(), context.env(), context.clock(),
                new Progress(context.err(), "upload"));
        int version = (Integer) registered.get("version");
        try (ModelRegistry opened = registry.open(context)) {
            Integer current = opened.model(MODEL).alias("production").map(p -> p.version()).orElse(0);
            opened.setAlias(MODEL, "production", version, current, Caller.fromEnvironment(context.env()),
                    "demo: evaluation " + verdict.outcome() + " against " + (result.baseline() == null ? "no baseline" : result.baseline()));
            context.out().printf("  registered %s @staging, promoted to production (was %s)%n", registered.get("ref"),
                    current == 0 ? "unset" : MODEL + ":" + current);
        }
    }

    private static Map<String, String> rounded(Map<String, Double> metrics) {
        Map<String, String> out = new java.util.TreeMap<>();
        metrics.forEach((k, v) -> out.put(k, String.format(Locale.ROOT, "%.4f", v)));
        return out;
    }

    private String rel(Path path) {
        Path absolute = path.toAbsolutePath().normalize();
        Path base = context.workingDir().toAbsolutePath().normalize();
        return absolute.startsWith(base) ? base.relativize(absolute).toString() : absolute.toString();
    }

    private void step(String number, String text) {
        context.out().println();
        context.out().println("== [" + number + "] " + text);
    }

    /** Churn depends non-linearly on the features, so a larger network helps measurably. */
    static void writeDataset(Path file, int rows, long seed) {
        Random random = new Random(seed);
        String[] regions = {"north", "south", "east", "west"};
        StringBuilder csv = new StringBuilder("tenure,monthly_charges,support_calls,age,region,churned\n");
        for (int i = 0; i < rows; i++) {
            double tenure = random.nextGaussian();
            double charges = random.nextGaussian();
            double calls = random.nextGaussian();
            double age = random.nextGaussian();
            String region = regions[random.nextInt(regions.length)];
            double logit = 2.0 * (charges * calls) - 1.5 * tenure * tenure + 1.0 + 0.8 * Math.sin(2 * age) + 0.3 * random.nextGaussian();
            csv.append(String.format(Locale.ROOT, "%.4f,%.4f,%.4f,%.4f,%s,%d%n", tenure, charges, calls, age, region, logit > 0 ? 1 : 0));
        }
        try {
            Files.writeString(file, csv);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

}
