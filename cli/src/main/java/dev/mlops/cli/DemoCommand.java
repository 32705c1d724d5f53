package dev.mlops.cli;

import dev.mlops.audit.AuditEvent;
import dev.mlops.audit.AuditVerification;
import dev.mlops.config.ConfigProblem;
import dev.mlops.config.MlopsConfig;
import dev.mlops.config.MlopsConfigParser;
import dev.mlops.deploy.RolloutPlan;
import dev.mlops.deploy.RolloutState;
import dev.mlops.deploy.RolloutStatus;
import dev.mlops.deploy.StagedDeploy;
import dev.mlops.drift.ReferenceProfiles;
import dev.mlops.evaluate.Outcome;
import dev.mlops.evaluate.Verdict;
import dev.mlops.json.Json;
import dev.mlops.maturity.MaturityAssessment;
import dev.mlops.maturity.MaturityReport;
import dev.mlops.maturity.MaturityReports;
import dev.mlops.model.ModelSchema;
import dev.mlops.monitor.WindowResult;
import dev.mlops.registry.ModelRef;
import dev.mlops.registry.ModelRegistry;
import dev.mlops.registry.ModelVersion;
import dev.mlops.registry.Registration;
import dev.mlops.registry.VersionDocument;
import dev.mlops.registry.VersionView;
import dev.mlops.retrain.RetrainPayload;
import dev.mlops.serve.AdminToken;
import dev.mlops.storage.ArtifactStores;
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
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The whole Level 4 loop on one machine, on embedded defaults: the demo folder is a small model
 * repository (mlops.yaml, Jenkinsfile, data, and its own .mlops/ registry, runs, rollouts, monitor).
 * Levels 2-3: train, evaluate against production, register with a reference profile, staging, smoke,
 * approval, production, then a better candidate through a canary. Level 4: production traffic drifts,
 * the monitor finds it, a signed webhook starts the retraining in-process, which evaluates the new
 * model against production and rolls it out by canary; a second drifted window is suppressed by the
 * cool-down. Ends with the maturity assessment, the audit chain and every report. Nothing is left
 * running (finally and a shutdown hook) unless --keep-running.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Run the Level 4 loop on embedded defaults: train, evaluate, register, staged rollout with canary,",
                "drift on production traffic, signed webhook, retraining, rollout of the retrained model, maturity assessment."})
final class DemoCommand implements Callable<Integer> {
    static final String MODEL = "demo-churn";
    static final int STAGES = 12;
    private static final String MARKER = ".mlops/demo.txt";
    private final Context context;
    @Mixin
    RegistryOptions registry = new RegistryOptions();
    @Option(names = "--workdir", description = "The demo's folder, a small model repository (default .mlops/demo); made by the demo or empty")
    Path workdir;
    @Option(names = "--approve-as", paramLabel = "USER", defaultValue = "demo-approver",
            description = "Who approves the rollouts, the plan's only approver (default: ${DEFAULT-VALUE})")
    String approveAs;
    @Option(names = "--keep-running", description = "Leave the production server running at the end (stop it by its pid, printed)")
    boolean keepRunning;
    @Option(names = "--skip-retrain", description = "Stop after the Level 3 release: no drifted traffic, monitor, webhook or retraining")
    boolean skipRetrain;

    private Context demo;
    private String registryUri;
    private RegistryOptions demoRegistry;
    private RunStore runs;
    private MlopsConfig config;
    private final List<String> reports = new ArrayList<>();

    DemoCommand(Context context) {
        this.context = context;
    }

    private record Candidate(String label, Map<String, String> params) {
    }

    @Override
    public Integer call() throws IOException, InterruptedException {
        long started = System.nanoTime();
        Path dir = context.workingDir().resolve(workdir != null ? workdir : Path.of(".mlops", "demo")).toAbsolutePath().normalize();
        claim(dir);
        Map<String, String> env = new HashMap<>(context.env());
        env.remove(RunStore.ENV_VAR);
        byte[] token = new byte[24];
        new SecureRandom().nextBytes(token);
        env.put(AdminToken.ENV, HexFormat.of().formatHex(token)); // the demo's servers only; never printed
        boolean ownRegistry = registry.registry == null;
        registryUri = ownRegistry ? dir.resolve(".mlops/registry").toString()
                : absolute(ArtifactStores.resolveUri(registry.registry, context.env()));
        env.remove("MLOPS_REGISTRY");
        demo = new Context(context.out(), context.err(), env, dir, context.clock());
        demoRegistry = new RegistryOptions();
        demoRegistry.registry = registryUri;

        step(1, "mlops.yaml (Level 4) and the Jenkinsfile in " + rel(dir) + ", checked by the config validator");
        URI webhook = URI.create("http://127.0.0.1:" + DemoRelease.freePort() + "/mlops-webhook/retrain");
        config = writeConfig(dir, webhook);
        if (config == null) {
            return 2;
        }

        step(2, "Churn data (seeded) in " + rel(dir.resolve("data")) + ": history, and what production will see weeks later");
        Path data = dir.resolve("data");
        DemoData.write(data.resolve("train.csv"), 4000, 7, DemoData.BEFORE);
        DemoData.write(data.resolve("holdout.csv"), 2000, 8, DemoData.BEFORE);
        DemoData.write(data.resolve("recent-train.csv"), 4000, 9, DemoData.AFTER);
        DemoData.write(data.resolve("recent-holdout.csv"), 2000, 10, DemoData.AFTER);
        DemoData.write(data.resolve("recent-traffic.csv"), 3 * config.drift().windowRows(), 11, DemoData.AFTER);
        say("train.csv 4,000 rows, holdout.csv 2,000; recent-*.csv: monthly_charges +1.0 sd, support_calls +0.8 sd, a new region,"
                + " and churn now follows the charges");

        MlopsConfig.Canary canary = config.deploy().canary();
        RolloutPlan plan = new RolloutPlan(config.deploy().smoke(), config.deploy().slo(), config.deploy().approval().approvers(),
                canary.steps(), canary.analysis());
        DemoRelease release = new DemoRelease(demo, demoRegistry, plan, Duration.ofSeconds(canary.stepSeconds()), config.deploy().port(),
                keepRunning);
        // each run starts afresh (servers were stopped above); training runs (.mlops/runs) are reused
        for (String old : List.of(".mlops/deployments", ".mlops/rollouts", ".mlops/monitor", ".mlops/reports", ".mlops/tmp")) {
            deleteTree(dir.resolve(old));
        }
        if (ownRegistry) {
            deleteTree(dir.resolve(".mlops/registry"));
        }
        runs = new RunStore(dir.resolve(".mlops/runs"), context.clock());

        DemoRetrainLoop[] loop = {null};
        AtomicBoolean cleaned = new AtomicBoolean();
        Runnable cleanup = () -> {
            if (cleaned.compareAndSet(false, true)) {
                if (loop[0] != null) {
                    loop[0].close();
                }
                release.stop();
            }
        };
        Thread hook = new Thread(cleanup, "mlops-demo-cleanup");
        Runtime.getRuntime().addShutdownHook(hook);
        boolean closed;
        try {
            Candidate small = new Candidate("a small MLP (hidden 2, 3 epochs)",
                    Map.of("label", "churned", "hidden", "2", "epochs", "3", "learning_rate", "0.01"));
            step(3, "Training " + small.label() + " with the built-in DJL trainer (PyTorch, CPU)");
            RunRecord first = train("data/train.csv", small);
            step(4, "Evaluating it against " + MODEL + "@production on data/holdout.csv; on PASS: register, staging, smoke, approve, production");
            evaluateAndRelease(first, "data/holdout.csv", release);

            Candidate large = fromConfig("a larger MLP (mlops.yaml train.builtin)");
            step(5, "Training " + large.label());
            RunRecord second = train("data/train.csv", large);
            step(6, "Evaluating the candidate against production (mlops.yaml gate); on PASS: staging, smoke, approve, canary " + canary.steps());
            evaluateAndRelease(second, "data/holdout.csv", release);

            if (skipRetrain) {
                step(7, "Level 4 loop skipped (--skip-retrain)");
                closed = true;
            } else {
                Path log = release.productionLog().orElseThrow(() -> new IllegalStateException(
                        "demo: production is not running or logs no requests; the drift monitor has nothing to read"));
                Optional<Integer>[] retrained = new Optional[] {Optional.empty()};
                loop[0] = new DemoRetrainLoop(demo, registryUri, config, webhook, log, payload -> retrained[0] = retrain(payload, release));
                closed = driftLoop(loop[0], release, log) && awaitRetrain(loop[0]) && retrained[0].isPresent();
                if (closed) {
                    context.out().printf("%n  loop closed: drift → signed webhook → retrain → %s:%d promoted to production%n", MODEL,
                            retrained[0].get());
                } else {
                    context.out().println("\n  loop NOT closed: see the lines above for where it stopped");
                }
            }
        } finally {
            cleanup.run();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running or has run
            }
        }

        step(11, "Maturity assessment of " + rel(dir) + " (mlops maturity)");
        maturity(dir);

        step(12, "Lineage of " + MODEL + "@production and the audit log");
        auditAndLineage();
        context.out().println("Reports (HTML):");
        reports.forEach(r -> context.out().println("  " + r));
        context.out().printf("Demo folder: %s   took %.0f s%n", rel(dir), (System.nanoTime() - started) / 1e9);
        context.out().println("Next: ./mlops models show " + MODEL + " --registry " + rel(Path.of(registryUri)) + "   ./mlops maturity " + rel(dir));
        return closed ? 0 : 1;
    }

    /** The demo folder must be new, empty, or made by the demo: it deletes its own registry there each run. */
    private void claim(Path dir) throws IOException {
        boolean ours = Files.isRegularFile(dir.resolve(MARKER))
                || Files.isRegularFile(dir.resolve("holdout.csv")) && Files.isDirectory(dir.resolve("runs")); // an earlier demo's layout
        if (Files.isDirectory(dir) && !ours) {
            try (Stream<Path> entries = Files.list(dir)) {
                if (entries.findAny().isPresent()) {
                    throw new dev.mlops.error.InvalidInputException("--workdir: " + dir + " is not empty and was not made by mlops demo;"
                            + " pass a new or empty folder (the demo rebuilds its registry there on every run)");
                }
            }
        }
        Files.createDirectories(dir.resolve(".mlops"));
        Files.writeString(dir.resolve(MARKER), "Made by `mlops demo`; it replaces .mlops/registry here on every run.\n");
    }

    private MlopsConfig writeConfig(Path dir, URI webhook) {
        String yaml = resource("mlops.yaml").replace("{{PORT}}", "18080").replace("{{APPROVER}}", Json.toString(approveAs))
                .replace("{{WEBHOOK}}", webhook.toString());
        Path file = dir.resolve(MlopsConfig.FILE);
        DemoData.writeAtomically(file, yaml);
        DemoData.writeAtomically(dir.resolve("Jenkinsfile"), resource("Jenkinsfile"));
        MlopsConfigParser.Validation v = new MlopsConfigParser().validate(file);
        if (!v.valid()) {
            context.out().printf("  %s has %d problem(s):%n", rel(file), v.problems().size());
            v.problems().forEach((ConfigProblem p) -> context.out().println("  " + p));
            return null;
        }
        MlopsConfig c = v.config();
        say(String.format("%s is valid: model %s, configures level %d; Jenkinsfile: examples/level4 (mlopsPipeline reads the same file)",
                rel(file), c.model(), c.level()));
        say(String.format("used here: gate %s; approvers %s; canary %s, %d s per step; drift %s, drift_share %.2f, windows of %d rows;"
                        + " retrain job %s, cool-down %d min, %d per day", c.gate().metrics().stream().map(m -> m.metric()).toList(),
                c.deploy().approval().approvers(), c.deploy().canary().steps(), c.deploy().canary().stepSeconds(), c.drift().method(),
                c.drift().driftShare(), c.drift().windowRows(), c.retrain().job(), c.retrain().cooldownMinutes(), c.retrain().maxPerDay()));
        DemoData.writeAtomically(dir.resolve(".mlops/gate.json"), Json.toString(c.gate().toDocument()));
        return c;
    }

    private Candidate fromConfig(String label) {
        MlopsConfig.Builtin b = config.train().builtin();
        return new Candidate(label + " (hidden " + b.hidden() + ", " + b.epochs() + " epochs)", Map.of("label", config.train().label(),
                "hidden", String.join(",", b.hidden().stream().map(String::valueOf).toList()), "epochs", Integer.toString(b.epochs()),
                "learning_rate", Double.toString(b.learningRate())));
    }

    private RunRecord train(String dataset, Candidate candidate) {
        Trainer trainer = Trainers.create("djl-mlp", null);
        TrainRequest request = TrainRequest.builder().setWorkingDir(demo.workingDir()).optDataset(Path.of(dataset))
                .optParams(candidate.params()).optSeed(config.train().seed() == null ? 42 : config.train().seed()).optEnv(demo.env()).build();
        TrainingOutcome outcome = new TrainingService(runs, context.clock()).train(trainer, request, TrainingListener.printTo(context.out()));
        RunRecord run = outcome.run();
        if (run.status() != RunStatus.SUCCEEDED) {
            throw new IllegalStateException("demo training failed: " + run.error());
        }
        say(String.format("run %s %s, metrics: %s", run.id(), outcome.reused() ? "(reused: same code, data and params)" : "trained",
                Render.join(rounded(run.metrics()))));
        return run;
    }

    /** Evaluate against production on {@code holdout}; on PASS register (with the reference profile of the run's data) and release. */
    private Optional<Integer> evaluateAndRelease(RunRecord run, String holdout, DemoRelease release) {
        String reportDir = ".mlops/reports/evaluations/" + run.id();
        EvaluateCandidate.Result result = EvaluateCandidate.run(new EvaluateCandidate.Input(registryUri, MODEL, "run:" + run.id(),
                        null, holdout, null, config.evaluate().slices(), ".mlops/gate.json", null, null, reportDir, ".mlops/runs"),
                demo.workingDir(), demo.env(), context.clock(), (k, d, t) -> { });
        Verdict verdict = result.report().verdict();
        say(String.format("candidate %s vs %s: %s", result.candidate(), result.baseline() == null ? "no production model yet" : result.baseline(),
                verdict.reason()));
        Path html = result.html();
        say("report: " + rel(html));
        reports.add(rel(html));
        if (verdict.outcome() != Outcome.PASS) {
            say("not released: the gate did not pass (production keeps its version)");
            return Optional.empty();
        }
        Registration.Input input = run.registrationInput(registryUri, MODEL, StagedDeploy.STAGING, "demo: gate " + verdict.outcome(),
                "demo churn MLP", Map.of("team", "demo"));
        Map<String, Object> registered;
        try (ReferenceProfiles.Attached attached = ReferenceProfiles.attach(input, input.datasets().get(0), demo.workingDir(), context.clock())) {
            registered = Registration.registerDocument(attached.input(), run.lineage() == null ? null : run.lineage().withRunId(run.id()),
                    demo.workingDir(), demo.env(), context.clock(), new Progress(context.err(), "upload"));
        }
        int version = (Integer) registered.get("version");
        say(String.format("registered %s @staging, with the reference profile of %s for drift", registered.get("ref"), input.datasets().get(0)));
        Optional<RolloutStatus> end = release.rollout(version, rel(html), demo.workingDir().resolve(holdout));
        return end.filter(s -> s.state() == RolloutState.PROMOTED).map(s -> version);
    }

    /** Stages 7 and 8: normal traffic (a window without drift), then drifted traffic until one window triggers and a later one is suppressed. */
    private boolean driftLoop(DemoRetrainLoop loop, DemoRelease release, Path log) throws InterruptedException {
        int window = config.drift().windowRows();
        ModelSchema schema = productionSchema();
        step(7, "Production traffic shifts: requests to " + release.production().map(d -> d.url().toString()).orElse("production")
                + ", logged in " + rel(log));
        float[][] normal = StagedDeploy.features(demo.workingDir().resolve("data/holdout.csv"), schema, DemoRelease.LABEL, window);
        int failed = release.send(normal, 50);
        say(String.format("%d rows like the training data (data/holdout.csv), %d failed requests", normal.length, failed));
        say(String.format("monitor: %s@production, windows of %d rows against the reference profile stored at registration", MODEL, window));
        List<WindowResult> seen = awaitWindows(loop, results -> !results.isEmpty(), Duration.ofSeconds(15));
        float[][] drifted = StagedDeploy.features(demo.workingDir().resolve("data/recent-traffic.csv"), schema, DemoRelease.LABEL, 3 * window);
        failed = release.send(drifted, 50);
        say(String.format("then %d rows of what customers look like now (data/recent-traffic.csv), %d failed requests", drifted.length, failed));

        step(8, "Drift monitor → signed webhook (HMAC-SHA256, random secret in memory) → receiver at " + loop.url());
        List<WindowResult> more = awaitWindows(loop, results -> results.stream().anyMatch(w -> w.trigger() != null && w.trigger().triggered())
                && results.stream().anyMatch(w -> w.trigger() != null && "SUPPRESSED".equals(w.trigger().outcome())), Duration.ofSeconds(30));
        List<WindowResult> all = new ArrayList<>(seen);
        all.addAll(more);
        for (WindowResult w : all) {
            say(w.line().replace(demo.workingDir().toString() + "/", ""));
            reports.add(rel(w.html()));
        }
        boolean triggered = all.stream().anyMatch(w -> w.trigger() != null && w.trigger().triggered());
        all.stream().filter(w -> w.trigger() != null && "SUPPRESSED".equals(w.trigger().outcome())).findFirst()
                .ifPresent(w -> say("cool-down: window " + w.index() + " drifted too, no second retrain (" + w.trigger().reason() + ")"));
        List<RetrainPayload> accepted = loop.jobs().payloads();
        if (!triggered || accepted.isEmpty()) {
            say("no retrain was triggered: no window drifted, or the receiver refused the request (see above)");
            return false;
        }
        say("retrain triggered: the receiver verified the signature and started job " + accepted.get(0).job() + " in-process (request "
                + accepted.get(0).id() + ")");
        loop.jobs().release();
        return true;
    }

    private List<WindowResult> awaitWindows(DemoRetrainLoop loop, java.util.function.Predicate<List<WindowResult>> enough, Duration max)
            throws InterruptedException {
        List<WindowResult> results = new ArrayList<>();
        long deadline = System.nanoTime() + max.toNanos();
        while (true) {
            results.addAll(loop.poll());
            if (enough.test(results) || System.nanoTime() > deadline) {
                return results;
            }
            Thread.sleep(200);
        }
    }

    private boolean awaitRetrain(DemoRetrainLoop loop) throws InterruptedException {
        for (Future<?> job : loop.jobs().started()) {
            try {
                job.get(10, TimeUnit.MINUTES);
            } catch (ExecutionException e) {
                say("retraining failed: " + e.getCause());
                return false;
            } catch (TimeoutException e) {
                say("retraining did not finish within 10 minutes");
                return false;
            }
        }
        return true;
    }

    /** The job the webhook starts: history plus recent labelled data, evaluated against production on recent data, then released. */
    private Optional<Integer> retrain(RetrainPayload payload, DemoRelease release) {
        step(9, "Retraining: job " + payload.job() + " started by the webhook for " + payload.model() + ":" + payload.version()
                + " (" + payload.reason().replace(demo.workingDir().toString() + "/", "") + ")");
        DemoData.concat(demo.workingDir().resolve("data/retrain.csv"),
                List.of(demo.workingDir().resolve("data/train.csv"), demo.workingDir().resolve("data/recent-train.csv")));
        say("training data: data/retrain.csv = data/train.csv + data/recent-train.csv (recent labelled data)");
        RunRecord run = train("data/retrain.csv", fromConfig("the mlops.yaml MLP"));
        step(10, "Evaluating the retrained model against production on recent data (data/recent-holdout.csv); on PASS: staged rollout by canary");
        return evaluateAndRelease(run, "data/recent-holdout.csv", release);
    }

    private ModelSchema productionSchema() {
        try (ModelRegistry opened = demoRegistry.open(demo)) {
            ModelVersion production = opened.get(new ModelRef(MODEL, null, "production"));
            byte[] json = opened.readFile(production, ModelSchema.FILE).orElseThrow(() -> new IllegalStateException(
                    "demo: " + production.ref() + " has no " + ModelSchema.FILE));
            Path temp = Files.createTempDirectory("mlops-demo-schema-");
            try {
                Files.write(temp.resolve(ModelSchema.FILE), json);
                return ModelSchema.read(temp);
            } finally {
                deleteTree(temp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void maturity(Path dir) {
        MaturityReport report = new MaturityAssessment(demo.env(), context.clock()).assess(dir, registryUri);
        List<Path> written = MaturityReports.write(report, dir.resolve(".mlops/reports/maturity"));
        context.out().printf("  MLOps maturity of the demo folder: Level %d%n", report.level());
        for (MaturityReport.DimensionResult d : report.dimensions()) {
            context.out().printf("    %-24s Level %d%s%n", d.name(), d.level(), d.next() == null ? "" : "   next: " + d.next());
        }
        if (report.level() < 4) {
            say("below 4 here only where a criterion needs a record this laptop cannot make: e.g. technology Level 3 counts audit events"
                    + " written from a CI build (BUILD_URL or GITHUB_ACTIONS); run the same loop from Jenkins with the Jenkinsfile above");
        }
        written.stream().filter(p -> p.toString().endsWith(".html")).forEach(p -> reports.add(rel(p)));
    }

    private void auditAndLineage() {
        try (ModelRegistry opened = demoRegistry.open(demo)) {
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
    }

    private static String resource(String name) {
        try (InputStream in = DemoCommand.class.getResourceAsStream("demo/" + name)) {
            if (in == null) {
                throw new IllegalStateException("demo: resource dev/mlops/cli/demo/" + name + " missing from the jar; rebuild the CLI");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> files = Files.walk(root)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + root + ": " + e.getMessage(), e);
        }
    }

    private String absolute(String uri) {
        return uri.matches("^[a-z][a-z0-9+.-]+:.*") && !uri.matches("^[A-Za-z]:\\\\.*") ? uri
                : context.workingDir().resolve(uri).toAbsolutePath().normalize().toString();
    }

    static int freePortPair(int from) {
        return DemoRelease.freePortPair(from);
    }

    /** The demo's history data (kept for tests that need realistic churn data). */
    static void writeDataset(Path file, int rows, long seed) {
        DemoData.write(file, rows, seed, DemoData.BEFORE);
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

    private void say(String line) {
        context.out().println("  " + line);
    }

    private void step(int number, String text) {
        context.out().println();
        context.out().println("== [" + number + "/" + STAGES + "] " + text);
    }
}
