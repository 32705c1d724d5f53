package dev.mlops.cli;

import dev.mlops.audit.AuditEvent;
import dev.mlops.audit.AuditVerification;
import dev.mlops.deploy.Deployment;
import dev.mlops.deploy.DeploymentTarget;
import dev.mlops.deploy.RolloutEvent;
import dev.mlops.deploy.RolloutPlan;
import dev.mlops.deploy.RolloutStatus;
import dev.mlops.deploy.Rollouts;
import dev.mlops.deploy.ServerClient;
import dev.mlops.deploy.StagedDeploy;
import dev.mlops.deploy.TrafficGenerator;
import dev.mlops.model.ModelLoader;
import dev.mlops.model.Predictor;
import dev.mlops.serve.AdminToken;
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
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The main job on embedded defaults (local registry folder, local runs folder, nothing to
 * install): train a first model with the built-in DJL trainer, evaluate it (first model: passes by
 * policy), register it, deploy it to staging, smoke-test it, approve it and deploy it to
 * production; train a better candidate, evaluate it against production on the same holdout with
 * the statistical gate and, only if it passes, take it through staging, smoke, approval and a
 * 10/50/100 canary beside production with generated traffic; print lineage, report paths and the
 * audit log. Every server it started is stopped at the end unless --keep-running.
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
    @Option(names = "--approve-as", paramLabel = "USER", defaultValue = "demo-approver",
            description = "Who approves the rollouts, the plan's only approver (default: ${DEFAULT-VALUE})")
    String approveAs;
    @Option(names = "--keep-running", description = "Leave the production server running at the end (stop it with `mlops rollback` or by its pid)")
    boolean keepRunning;

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
        step("3/6", "Evaluating it against " + MODEL + "@production on the same holdout; on PASS: register, deploy staging, smoke, approve, production");
        Release release = new Release(dir, holdout);
        try {
            evaluateAndRelease(dir, runs, holdout, first, reports, release);

            step("4/6", "Training " + large.label());
            RunRecord second = train(runs, train, large);
            step("5/6", "Evaluating the candidate against production (paired bootstrap + McNemar); on PASS: staging, smoke, approve, canary 10/50/100");
            evaluateAndRelease(dir, runs, holdout, second, reports, release);
        } finally {
            release.stop();
        }

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

    private void evaluateAndRelease(Path dir, RunStore runs, Path holdout, RunRecord run, List<String> reports, Release release) {
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
        context.out().printf("  registered %s @staging%n", registered.get("ref"));
        release.rollout(version, rel(result.html()));
    }

    /**
     * Releases each version that passed its gate the staged way, on local servers under the demo's
     * folder: staging, smoke against the offline predictions, approval by --approve-as, then the
     * canary with generated traffic (or, for the first model, production directly). Stops what it
     * started unless --keep-running.
     */
    private final class Release {
        static final int RPS = 250;
        static final Duration STEP = Duration.ofMillis(2500);
        private final Path dir;
        private final Path holdout;
        private final DeploymentTarget target;
        private final ServerClient client = new ServerClient(Duration.ofSeconds(10));
        private final int productionPort;
        private final int stagingPort;

        Release(Path dir, Path holdout) {
            this.dir = dir;
            this.holdout = holdout;
            Map<String, String> env = new HashMap<>(context.env());
            byte[] token = new byte[24];
            new SecureRandom().nextBytes(token);
            env.put(AdminToken.ENV, HexFormat.of().formatHex(token)); // the demo's servers only; never printed
            Context withToken = new Context(context.out(), context.err(), env, context.workingDir(), context.clock());
            target = DeployCommand.target(withToken, registry, dir.resolve("deployments"), 120);
            stopAll("left running by an earlier demo");
            productionPort = freePortPair(18080);
            stagingPort = freePortPair(productionPort + 2);
        }

        /** The demo's plan: the standard one with --approve-as as the only approver and 30 canary requests per step judged enough. */
        RolloutPlan plan() {
            return new RolloutPlan(true, null, List.of(approveAs), List.of(10, 50, 100),
                    new RolloutPlan.AnalysisThresholds(30, 0.01, 500, 0.2));
        }

        void rollout(int version, String report) {
            Caller caller = Caller.fromEnvironment(context.env());
            try (ModelRegistry opened = registry.open(context)) {
                Rollouts rollouts = DeployCommand.rollouts(opened, context);
                rollouts.store().active(MODEL).ifPresent(old -> rollouts.apply(MODEL, old.id(),
                        new RolloutEvent.Abort(caller.user(), "abandoned: a new demo run started"), caller));
                StagedDeploy staged = new StagedDeploy(opened, rollouts, target, client, ModelLoader::load, dir.resolve("tmp"),
                        line -> context.out().println("  " + line));
                RolloutStatus s = rollouts.begin(MODEL, version, plan(), caller);
                Deployment staging = target.deploy(MODEL, version, StagedDeploy.STAGING, stagingPort);
                rollouts.apply(MODEL, s.id(), new RolloutEvent.StagingDeployed(caller.user(), staging.url().toString()), caller);
                context.out().printf("  staging: %s:%d answers at %s (pid %d)%n", MODEL, version, staging.url(), staging.pid());
                StagedDeploy.SmokeOutcome smoke = staged.smoke(MODEL, holdout, "churned", 200, caller);
                context.out().printf("  smoke %s: %.0f rows, %.0f differ from the offline predictions%n", smoke.gate().outcome(),
                        smoke.gate().measurements().getOrDefault("rows", 0.0), smoke.gate().measurements().getOrDefault("mismatched", 0.0));
                if (smoke.gate().outcome() != Outcome.PASS) {
                    context.out().println("  not released: " + String.join("; ", smoke.gate().reasons()) + " (production untouched)");
                    return;
                }
                rollouts.approve(MODEL, s.id(), approveAs, Set.of(), List.of(report), caller);
                context.out().printf("  approved by %s (--approve-as; the plan's only approver; in Jenkins: mlopsApprove or input)%n", approveAs);
                float[][] rows;
                try (Predictor candidate = staged.load(MODEL, version)) {
                    rows = StagedDeploy.features(holdout, candidate.schema(), "churned", 2000);
                }
                TrafficGenerator traffic = new TrafficGenerator(client, MODEL, rows, RPS);
                if (s.previous() != null) {
                    context.out().printf("  canary: %d requests/s generated from %s, %.1f s per step%n", RPS, rel(holdout), STEP.toMillis() / 1000.0);
                }
                RolloutStatus end = staged.canary(MODEL, productionPort, traffic, STEP, caller);
                if (traffic.sent() > 0) {
                    context.out().printf("  %d requests sent during the canary, %d failed; rollout %s%n", traffic.sent(), traffic.failed(), end.state());
                }
            }
        }

        void stop() {
            if (keepRunning) {
                target.find(StagedDeploy.PRODUCTION).ifPresent(d -> context.out().printf(
                        "%nproduction keeps running at %s (pid %d; --keep-running); stop it with: kill %d%n", d.url(), d.pid(), d.pid()));
                target.find(StagedDeploy.STAGING).ifPresent(target::stop);
                return;
            }
            stopAll("the demo leaves nothing running; --keep-running keeps production");
        }

        private void stopAll(String why) {
            for (String stage : List.of(StagedDeploy.STAGING, StagedDeploy.PRODUCTION)) {
                target.find(stage).ifPresent(d -> {
                    target.stop(d);
                    context.out().printf("  stopped %s %s:%d at %s (%s)%n", stage, d.model(), d.version(), d.url(), why);
                });
            }
        }
    }

    /** The first port from {@code from} on 127.0.0.1 that is free together with the next one (the admin port). */
    static int freePortPair(int from) {
        for (int port = from; port < from + 200; port += 2) {
            if (free(port) && free(port + 1)) {
                return port;
            }
        }
        throw new IllegalStateException("no two free ports on 127.0.0.1 between " + from + " and " + (from + 200));
    }

    private static boolean free(int port) {
        try (ServerSocket probe = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException e) {
            return false;
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
