package dev.mlops.cli;

import dev.mlops.deploy.Deployment;
import dev.mlops.deploy.ListedApprovers;
import dev.mlops.deploy.LocalProcessTarget;
import dev.mlops.deploy.RolloutEvent;
import dev.mlops.deploy.RolloutPlan;
import dev.mlops.deploy.RolloutStatus;
import dev.mlops.deploy.RolloutStore;
import dev.mlops.deploy.Rollouts;
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
        subcommands = {DeployCommand.Status.class, DeployCommand.Approve.class, DeployCommand.Manifest.class})
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

    DeployCommand(Context context) {
        this.context = context;
    }

    /** `java -jar <this mlops jar> serve ...`, found from where this class was loaded. */
    static List<String> serveCommand(Path root) {
        try {
            Path jar = Path.of(DeployCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return LocalProcessTarget.mlopsServe(jar, root);
        } catch (Exception e) {
            return LocalProcessTarget.mlopsServe(Path.of("mlops.jar"), root);
        }
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
        Path root = context.workingDir().resolve(deployments);
        LocalProcessTarget target = new LocalProcessTarget(root, serveCommand(root), Duration.ofSeconds(healthTimeout),
                context.env().get("MLOPS_ADMIN_TOKEN"), context.clock());
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
