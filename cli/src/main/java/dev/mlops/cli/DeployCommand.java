package dev.mlops.cli;

import dev.mlops.deploy.Deployment;
import dev.mlops.deploy.DeploymentTarget;
import dev.mlops.deploy.ListedApprovers;
import dev.mlops.deploy.LocalProcessTarget;
import dev.mlops.deploy.RolloutEvent;
import dev.mlops.deploy.RolloutPlan;
import dev.mlops.deploy.RolloutStatus;
import dev.mlops.deploy.RolloutStore;
import dev.mlops.deploy.Rollouts;
import dev.mlops.deploy.ServerClient;
import dev.mlops.deploy.StagedDeploy;
import dev.mlops.deploy.TrafficGenerator;
import dev.mlops.model.ModelLoader;
import dev.mlops.model.Predictor;
import dev.mlops.error.InvalidInputException;
import dev.mlops.error.NotFoundException;
import dev.mlops.json.Json;
import dev.mlops.registry.Caller;
import dev.mlops.registry.ModelRef;
import dev.mlops.registry.ModelRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "deploy", mixinStandardHelpOptions = true,
        description = {"Deploy MODEL:VERSION to a local stage (a background `mlops serve` on 127.0.0.1, waits for /v2/health/ready).",
                "--stage staging also starts a rollout (smoke, approval, canary 10/50/100); see `deploy status` and `deploy approve`."},
        subcommands = {DeployCommand.Status.class, DeployCommand.Smoke.class, DeployCommand.Approve.class, DeployCommand.Canary.class, DeployCommand.Promote.class,
                DeployCommand.Resume.class, DeployCommand.Abort.class, DeployCommand.Manifest.class})
final class DeployCommand implements Callable<Integer> {
    private final Context context;
    @Mixin
    RegistryOptions registry = new RegistryOptions();
    @Parameters(index = "0", arity = "0..1", paramLabel = "MODEL:VERSION")
    String ref;
    @Option(names = "--stage", defaultValue = "staging", description = "staging or production (default: ${DEFAULT-VALUE})")
    String stage;
    @Option(names = "--port", defaultValue = "8090", description = "Port of the deployment (default: ${DEFAULT-VALUE}); the admin port is PORT+1")
    int port;
    @Option(names = "--approver", paramLabel = "USER|group:NAME", description = "Who may approve the rollout (repeat)")
    List<String> approvers = new ArrayList<>();
    @Option(names = "--deployments", paramLabel = "DIR", defaultValue = ".mlops/deployments")
    Path deployments;
    @Option(names = "--health-timeout-seconds", paramLabel = "S", defaultValue = "120")
    int healthTimeout;
    @Option(names = "--target", defaultValue = DeployTargets.LOCAL, description = DeployTargets.DESCRIPTION)
    String targetKind;

    DeployCommand(Context context) {
        this.context = context;
    }

    /**
     * `java -jar <this mlops jar> serve ...`, found from where this class was loaded; from a classes
     * folder (tests, IDE) `java -cp <this class path> dev.mlops.cli.Main serve ...`.
     */
    static List<String> serveCommand(Path root) {
        try {
            Path jar = Path.of(DeployCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            List<String> command = LocalProcessTarget.mlopsServe(jar, root);
            if (java.nio.file.Files.isDirectory(jar)) {
                List<String> fromClasses = new ArrayList<>(List.of(command.get(0), "-cp", System.getProperty("java.class.path"), Main.class.getName()));
                fromClasses.addAll(command.subList(3, command.size()));
                return fromClasses;
            }
            return command;
        } catch (Exception e) {
            return LocalProcessTarget.mlopsServe(Path.of("mlops.jar"), root);
        }
    }

    /**
     * Where stages run. The one place a deployment target is chosen. The servers read the same
     * registry as this command, whatever their working folder.
     */
    /** @param kind --target: local or docker */
    static DeploymentTarget target(Context context, RegistryOptions registry, Path deployments, int healthTimeoutSeconds, String kind) {
        Path root = context.workingDir().resolve(deployments);
        String uri = dev.mlops.storage.ArtifactStores.resolveUri(registry.registry, context.env());
        return DeployTargets.create(kind, context, uri, root, Duration.ofSeconds(healthTimeoutSeconds), () -> {
            List<String> command = new ArrayList<>(serveCommand(root));
            command.addAll(List.of("--registry", uri.matches("^(azblob|file):.*") ? uri : context.workingDir().resolve(uri).toString(),
                    "--cache-dir", root.resolve("cache").toString()));
            return new LocalProcessTarget(root, command, Duration.ofSeconds(healthTimeoutSeconds), context.env().get("MLOPS_ADMIN_TOKEN"),
                    context.clock());
        });
    }

    static StagedDeploy staged(ModelRegistry registry, Context context, DeploymentTarget target) {
        return new StagedDeploy(registry, rollouts(registry, context), target, new ServerClient(Duration.ofSeconds(10)), ModelLoader::load,
                context.workingDir().resolve(".mlops/tmp"), context.out()::println);
    }

    /** 0 promoted (or waiting for the next stage), 5 rolled back, failed or aborted, 6 paused for a human. */
    static int exitCode(RolloutStatus s) {
        return switch (s.state()) {
            case ROLLED_BACK, FAILED, ABORTED -> 5;
            case PAUSED_INCONCLUSIVE -> 6;
            default -> 0;
        };
    }

    static Rollouts rollouts(ModelRegistry registry, Context context) {
        return new Rollouts(registry, new RolloutStore(context.workingDir().resolve(".mlops/rollouts")), new ListedApprovers(), context.clock());
    }

    @Override
    public Integer call() {
        if (ref == null) {
            throw new InvalidInputException("MODEL:VERSION: missing; e.g. `mlops deploy churn:4 --stage staging`, or `mlops deploy status churn`");
        }
        ModelRef parsed = ModelRef.parse(ref);
        Caller caller = Caller.fromEnvironment(context.env());
        DeploymentTarget target = target(context, registry, deployments, healthTimeout, targetKind);
        try (ModelRegistry opened = registry.open(context)) {
            int version = opened.get(parsed).version();
            RolloutStatus rollout = stage.equals("staging")
                    ? rollouts(opened, context).begin(parsed.model(), version, RolloutPlan.standard(approvers), caller) : null;
            Deployment d;
            try {
                d = target.deploy(parsed.model(), version, stage, port);
            } catch (RuntimeException e) {
                if (rollout != null) {
                    rollouts(opened, context).apply(parsed.model(), rollout.id(), new RolloutEvent.Error(caller.user(), e.getMessage()), caller);
                }
                throw e;
            }
            if (rollout != null) {
                rollouts(opened, context).apply(parsed.model(), rollout.id(), new RolloutEvent.StagingDeployed(caller.user(), d.url().toString()), caller);
            }
            context.out().printf("deployed %s:%d to %s at %s (pid %d)%s%n", d.model(), d.version(), stage, d.url(), d.pid(),
                    rollout == null ? "" : "; rollout " + rollout.id());
            return 0;
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true, description = "Show the latest rollout of MODEL as JSON (schema mlops.rollout/v1).")
    static final class Status implements Callable<Integer> {
        private final Context context;
        @Mixin
        RegistryOptions registry = new RegistryOptions();
        @Parameters(index = "0", paramLabel = "MODEL")
        String model;

        Status(Context context) {
            this.context = context;
        }

        @Override
        public Integer call() {
            try (ModelRegistry opened = registry.open(context)) {
                RolloutStatus s = rollouts(opened, context).store().latest(model).orElseThrow(() -> new NotFoundException(
                        "rollout: model " + model + " has none; start one with `mlops deploy " + model + ":VERSION --stage staging`"));
                context.out().println(Json.toPrettyString(new Document("mlops.rollout/v1", s)));
                return 0;
            }
        }

        record Document(String schema, RolloutStatus rollout) {
        }
    }

    @Command(name = "approve", mixinStandardHelpOptions = true, description = "Approve the live rollout of MODEL; only its listed approvers may.")
    static final class Approve implements Callable<Integer> {
        private final Context context;
        @Mixin
        RegistryOptions registry = new RegistryOptions();
        @Parameters(index = "0", paramLabel = "MODEL")
        String model;
        @Option(names = "--as", required = true, paramLabel = "USER")
        String user;
        @Option(names = "--group", paramLabel = "GROUP", description = "A group USER belongs to (repeat)")
        Set<String> groups = Set.of();
        @Option(names = "--evidence", paramLabel = "URL", description = "Link to what was reviewed (repeat)")
        List<String> evidence = new ArrayList<>();

        Approve(Context context) {
            this.context = context;
        }

        @Override
        public Integer call() {
            try (ModelRegistry opened = registry.open(context)) {
                Rollouts rollouts = rollouts(opened, context);
                RolloutStatus live = rollouts.store().active(model).orElseThrow(() -> new NotFoundException(
                        "rollout: model " + model + " has no live rollout to approve; see `mlops deploy status " + model + "`"));
                RolloutStatus s = rollouts.approve(model, live.id(), user, groups, evidence, Caller.fromEnvironment(context.env()));
                context.out().printf("approved rollout %s of %s:%d by %s; state %s%n", s.id(), model, s.candidate(), user, s.state());
                return 0;
            }
        }
    }

    /** Options every command acting on live deployments shares. */
    static final class Deployments {
        @Option(names = "--deployments", paramLabel = "DIR", defaultValue = ".mlops/deployments", description = "Local deployments folder (default: ${DEFAULT-VALUE})")
        Path folder;
        @Option(names = "--health-timeout-seconds", paramLabel = "S", defaultValue = "120")
        int healthTimeout;
        @Option(names = "--target", defaultValue = DeployTargets.LOCAL, description = DeployTargets.DESCRIPTION)
        String targetKind;

        StagedDeploy staged(ModelRegistry opened, Context context, RegistryOptions registry) {
            return DeployCommand.staged(opened, context, target(context, registry, folder, healthTimeout, targetKind));
        }
    }

    /** How each canary step gets its traffic: real traffic for --step-seconds, or generated from --traffic at --rps. */
    static final class StepOptions {
        @Option(names = "--step-seconds", paramLabel = "S", defaultValue = "60", description = "How long each canary step lets traffic flow (default: ${DEFAULT-VALUE})")
        double stepSeconds;
        @Option(names = "--traffic", paramLabel = "CSV", description = "Generate traffic from these rows (holdout CSV) instead of waiting for real traffic")
        Path traffic;
        @Option(names = "--rps", paramLabel = "N", defaultValue = "100", description = "Generated requests per second (default: ${DEFAULT-VALUE})")
        double rps;
        @Option(names = "--label", paramLabel = "COLUMN", description = "Label column of the --traffic CSV (default: the model's)")
        String label;

        Duration step() {
            if (!(stepSeconds > 0)) {
                throw new InvalidInputException("--step-seconds: " + stepSeconds + " is not positive; give seconds such as 60");
            }
            return Duration.ofMillis(Math.round(stepSeconds * 1000));
        }

        StagedDeploy.StepTraffic traffic(StagedDeploy staged, Context context, RolloutStatus live) {
            if (traffic == null) {
                return StagedDeploy.StepTraffic.WAIT;
            }
            float[][] rows;
            try (Predictor candidate = staged.load(live.model(), live.candidate())) {
                rows = StagedDeploy.features(context.workingDir().resolve(traffic), candidate.schema(), label, 10_000);
            }
            return new TrafficGenerator(new ServerClient(Duration.ofSeconds(10)), live.model(), rows, rps);
        }
    }

    @Command(name = "smoke", mixinStandardHelpOptions = true,
            description = {"Smoke-test the live rollout's staging deployment: send holdout rows, require the offline predictions back.",
                    "Exit 0 passed (approval requested when the plan has approvers), 5 failed (rollout FAILED, staging stopped), 6 inconclusive."})
    static final class Smoke implements Callable<Integer> {
        private final Context context;
        @Mixin
        RegistryOptions registry = new RegistryOptions();
        @Mixin
        Deployments deployments = new Deployments();
        @Parameters(index = "0", paramLabel = "MODEL")
        String model;
        @Option(names = "--holdout", required = true, paramLabel = "CSV")
        Path holdout;
        @Option(names = "--label", paramLabel = "COLUMN", description = "Label column of the holdout (default: the model's)")
        String label;
        @Option(names = "--rows", defaultValue = "100", description = "Holdout rows to send (default: ${DEFAULT-VALUE})")
        int rows;

        Smoke(Context context) {
            this.context = context;
        }

        @Override
        public Integer call() {
            try (ModelRegistry opened = registry.open(context)) {
                StagedDeploy staged = deployments.staged(opened, context, registry);
                StagedDeploy.SmokeOutcome r = staged.smoke(model, context.workingDir().resolve(holdout), label, rows,
                        Caller.fromEnvironment(context.env()));
                context.out().printf("smoke %s: %s%s; rollout %s is %s%n", r.gate().outcome(), Render.join(r.gate().measurements()),
                        r.gate().reasons().isEmpty() ? "" : " (" + String.join("; ", r.gate().reasons()) + ")", r.status().id(), r.status().state());
                return switch (r.gate().outcome()) {
                    case PASS -> 0;
                    case INCONCLUSIVE -> 6;
                    default -> 5;
                };
            }
        }
    }

    @Command(name = "canary", mixinStandardHelpOptions = true,
            description = {"Run the approved rollout's canary: the candidate is loaded into the running production server at 0% (no restart),",
                    "then each plan step (10/50/100) sets the weight through the admin endpoint (needs MLOPS_ADMIN_TOKEN) and is analysed.",
                    "A first model (no production yet) is deployed to production directly. Exit 0 promoted, 5 rolled back, 6 paused."})
    static final class Canary implements Callable<Integer> {
        private final Context context;
        @Mixin
        RegistryOptions registry = new RegistryOptions();
        @Mixin
        Deployments deployments = new Deployments();
        @Mixin
        StepOptions steps = new StepOptions();
        @Parameters(index = "0", paramLabel = "MODEL")
        String model;
        @Option(names = "--port", defaultValue = "8080", description = "Production port when none runs yet (default: ${DEFAULT-VALUE}); a running one keeps its port")
        int port;

        Canary(Context context) {
            this.context = context;
        }

        @Override
        public Integer call() {
            try (ModelRegistry opened = registry.open(context)) {
                StagedDeploy staged = deployments.staged(opened, context, registry);
                RolloutStatus live = staged.live(model);
                return exitCode(staged.canary(model, port, steps.traffic(staged, context, live), steps.step(), Caller.fromEnvironment(context.env())));
            }
        }
    }

    @Command(name = "promote", mixinStandardHelpOptions = true,
            description = {"Release the approved candidate without a canary (Level 3): it is loaded beside production, takes all traffic at once,",
                    "and MODEL@production moves; production keeps answering throughout. Exit 0 promoted, 5 failed."})
    static final class Promote implements Callable<Integer> {
        private final Context context;
        @Mixin
        RegistryOptions registry = new RegistryOptions();
        @Mixin
        Deployments deployments = new Deployments();
        @Parameters(index = "0", paramLabel = "MODEL")
        String model;
        @Option(names = "--port", defaultValue = "8080", description = "Production port when none runs yet (default: ${DEFAULT-VALUE}); a running one keeps its port")
        int port;

        Promote(Context context) {
            this.context = context;
        }

        @Override
        public Integer call() {
            try (ModelRegistry opened = registry.open(context)) {
                StagedDeploy staged = deployments.staged(opened, context, registry);
                return exitCode(staged.promote(model, port, Caller.fromEnvironment(context.env())));
            }
        }
    }

    @Command(name = "resume", mixinStandardHelpOptions = true,
            description = "A listed approver lets a paused canary go on (as if the step had passed) and runs the remaining steps. Exit codes as canary.")
    static final class Resume implements Callable<Integer> {
        private final Context context;
        @Mixin
        RegistryOptions registry = new RegistryOptions();
        @Mixin
        Deployments deployments = new Deployments();
        @Mixin
        StepOptions steps = new StepOptions();
        @Parameters(index = "0", paramLabel = "MODEL")
        String model;
        @Option(names = "--as", required = true, paramLabel = "USER")
        String user;
        @Option(names = "--group", paramLabel = "GROUP", description = "A group USER belongs to (repeat)")
        Set<String> groups = Set.of();
        @Option(names = "--reason", description = "Why, for the audit log")
        String reason;

        Resume(Context context) {
            this.context = context;
        }

        @Override
        public Integer call() {
            try (ModelRegistry opened = registry.open(context)) {
                StagedDeploy staged = deployments.staged(opened, context, registry);
                RolloutStatus live = staged.live(model);
                return exitCode(staged.resume(model, user, groups, reason, steps.traffic(staged, context, live), steps.step(),
                        Caller.fromEnvironment(context.env())));
            }
        }
    }

    @Command(name = "abort", mixinStandardHelpOptions = true,
            description = "A listed approver ends the live rollout; canary traffic goes back to 100% of the previous version. Exit 5.")
    static final class Abort implements Callable<Integer> {
        private final Context context;
        @Mixin
        RegistryOptions registry = new RegistryOptions();
        @Mixin
        Deployments deployments = new Deployments();
        @Parameters(index = "0", paramLabel = "MODEL")
        String model;
        @Option(names = "--as", required = true, paramLabel = "USER")
        String user;
        @Option(names = "--group", paramLabel = "GROUP", description = "A group USER belongs to (repeat)")
        Set<String> groups = Set.of();
        @Option(names = "--reason", description = "Why, for the audit log")
        String reason;

        Abort(Context context) {
            this.context = context;
        }

        @Override
        public Integer call() {
            try (ModelRegistry opened = registry.open(context)) {
                StagedDeploy staged = deployments.staged(opened, context, registry);
                RolloutStatus s = staged.abort(model, user, groups, reason, Caller.fromEnvironment(context.env()));
                context.out().println(StagedDeploy.describe(s));
                return exitCode(s);
            }
        }
    }

    @Command(name = "manifest", mixinStandardHelpOptions = true,
            description = "Print Kubernetes manifests (Deployment + Service with probes and resources) serving MODEL:VERSION; apply them with kubectl.")
    static final class Manifest implements Callable<Integer> {
        private final Context context;
        @Mixin
        RegistryOptions registry = new RegistryOptions();
        @Parameters(index = "0", paramLabel = "MODEL:VERSION")
        String ref;
        @Option(names = "--image", required = true, description = "Container image whose entrypoint is the mlops CLI")
        String image;
        @Option(names = "--namespace", defaultValue = "default")
        String namespace;
        @Option(names = "--replicas", defaultValue = "2")
        int replicas;
        @Option(names = "--port", defaultValue = "8080")
        int port;
        @Option(names = "--cpu", defaultValue = "250m", description = "CPU request (limit: --cpu-limit)")
        String cpu;
        @Option(names = "--memory", defaultValue = "512Mi", description = "Memory request (limit: --memory-limit)")
        String memory;
        @Option(names = "--cpu-limit", defaultValue = "1")
        String cpuLimit;
        @Option(names = "--memory-limit", defaultValue = "1Gi")
        String memoryLimit;
        @Option(names = "--pod-registry", paramLabel = "URI",
                description = "Registry URI as the pod sees it (default: --registry); azblob:// reads the mlops-registry secret")
        String podRegistry;
        @Option(names = {"-o", "--output"}, description = "Write to this file instead of stdout")
        Path output;

        Manifest(Context context) {
            this.context = context;
        }

        @Override
        public Integer call() throws java.io.IOException {
            ModelRef parsed = ModelRef.parse(ref);
            String uri = podRegistry != null ? podRegistry : dev.mlops.storage.ArtifactStores.resolveUri(registry.registry, context.env());
            int version;
            try (ModelRegistry opened = registry.open(context)) {
                version = opened.get(parsed).version();
            }
            String yaml = dev.mlops.deploy.KubernetesManifests.render(new dev.mlops.deploy.KubernetesManifests.Spec(parsed.model(), version,
                    image, namespace, replicas, port, uri, cpu, memory, cpuLimit, memoryLimit));
            if (output == null) {
                context.out().print(yaml);
            } else {
                java.nio.file.Files.writeString(context.workingDir().resolve(output), yaml);
                context.out().println("Wrote " + output + " (kubectl apply -f " + output + ")");
            }
            return 0;
        }
    }
}
