package dev.mlops.jenkins.deploy;

import dev.mlops.deploy.Deployment;
import dev.mlops.deploy.DeploymentTarget;
import dev.mlops.deploy.ListedApprovers;
import dev.mlops.deploy.LocalProcessTarget;
import dev.mlops.deploy.Rollback;
import dev.mlops.deploy.RolloutEvent;
import dev.mlops.deploy.RolloutPlan;
import dev.mlops.deploy.RolloutState;
import dev.mlops.deploy.RolloutStatus;
import dev.mlops.deploy.RolloutStore;
import dev.mlops.deploy.Rollouts;
import dev.mlops.deploy.ServerClient;
import dev.mlops.deploy.StagedDeploy;
import dev.mlops.deploy.TrafficGenerator;
import dev.mlops.error.MlopsException;
import dev.mlops.jenkins.support.Redaction;
import dev.mlops.json.Json;
import dev.mlops.model.ModelLoader;
import dev.mlops.model.Predictor;
import dev.mlops.registry.AliasChange;
import dev.mlops.registry.Caller;
import dev.mlops.registry.ModelRegistry;
import dev.mlops.storage.ArtifactStores;
import hudson.AbortException;
import hudson.model.TaskListener;
import hudson.remoting.VirtualChannel;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import jenkins.MasterToSlaveFileCallable;

/**
 * The agent-side half of {@code mlopsDeploy}: the same rollout as {@code mlops deploy}, through core's
 * {@link Rollouts} and {@link StagedDeploy}, with the workspace as working directory (rollouts in
 * {@code .mlops/rollouts}, servers under {@code deployments}). Servers are {@code $MLOPS_CLI serve}
 * processes; MLOPS_ADMIN_TOKEN comes from the environment only. Returns the outcome as JSON text; core
 * errors become one-line, redacted {@link AbortException}s.
 */
final class DeployOnAgent extends MasterToSlaveFileCallable<String> {
    static final Duration HEALTH_TIMEOUT = Duration.ofSeconds(120);

    private final DeployArgs args;
    private final TreeMap<String, String> env;
    private final TaskListener listener;

    DeployOnAgent(DeployArgs args, Map<String, String> env, TaskListener listener) {
        this.args = args;
        this.env = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        this.env.putAll(env);
        this.listener = listener;
    }

    @Override
    public String invoke(File workspace, VirtualChannel channel) throws IOException, InterruptedException {
        Path ws = workspace.toPath();
        Clock clock = Clock.systemUTC();
        String uri = ArtifactStores.resolveUri(args.registry(), env);
        try (ModelRegistry registry = new ModelRegistry(ArtifactStores.open(uri, ws, env), clock)) {
            Rollouts rollouts = new Rollouts(registry, new RolloutStore(ws.resolve(".mlops/rollouts")), new ListedApprovers(), clock);
            Caller caller = Caller.fromEnvironment(env);
            Map<String, Object> outcome = run(ws, uri, registry, rollouts, caller);
            return Json.toString(outcome);
        } catch (MlopsException | IllegalArgumentException e) {
            throw new AbortException(DeployMessages.failed(Redaction.redact(e.getMessage(), env)));
        }
    }

    private Map<String, Object> run(Path ws, String uri, ModelRegistry registry, Rollouts rollouts, Caller caller) {
        String model = args.model();
        Map<String, Object> extra = new LinkedHashMap<>();
        switch (args.action()) {
            case "status" -> {
                return result(rollouts, null, extra);
            }
            case "staging" -> {
                DeploymentTarget target = target(ws, uri);
                RolloutStatus s = rollouts.begin(model, args.version(), RolloutPlan.standard(args.approvers()), caller);
                Deployment d;
                try {
                    d = target.deploy(model, args.version(), StagedDeploy.STAGING, args.port() == null ? 8090 : args.port());
                } catch (RuntimeException e) {
                    rollouts.apply(model, s.id(), new RolloutEvent.Error(caller.user(), e.getMessage()), caller);
                    throw e;
                }
                rollouts.apply(model, s.id(), new RolloutEvent.StagingDeployed(caller.user(), d.url().toString()), caller);
                extra.put("url", d.url().toString());
                return result(rollouts, 0, extra);
            }
            case "smoke" -> {
                StagedDeploy.SmokeOutcome r = staged(ws, registry, rollouts, target(ws, uri)).smoke(model, ws.resolve(args.holdout()), args.label(),
                        args.rows(), caller);
                extra.put("smoke", Map.of("outcome", r.gate().outcome().name(), "reasons", r.gate().reasons()));
                return result(rollouts, switch (r.gate().outcome()) {
                    case PASS -> 0;
                    case INCONCLUSIVE -> 6;
                    default -> 5;
                }, extra);
            }
            case "approve" -> {
                rollouts.approve(model, live(rollouts).id(), args.approver(), new HashSet<>(args.groups()), args.evidence(), caller);
                return result(rollouts, 0, extra);
            }
            case "canary", "resume" -> {
                RolloutStatus live = live(rollouts);
                if ("canary".equals(args.action()) && args.approver() != null && live.state() == RolloutState.AWAITING_APPROVAL) {
                    rollouts.approve(model, live.id(), args.approver(), new HashSet<>(args.groups()), args.evidence(), caller);
                }
                StagedDeploy staged = staged(ws, registry, rollouts, target(ws, uri));
                StagedDeploy.StepTraffic traffic = traffic(staged, ws, live);
                Duration step = Duration.ofMillis(Math.round(args.stepSeconds() * 1000));
                RolloutStatus s = "canary".equals(args.action())
                        ? staged.canary(model, args.port() == null ? 8080 : args.port(), traffic, step, caller)
                        : staged.resume(model, args.approver(), new HashSet<>(args.groups()), args.reason(), traffic, step, caller);
                return result(rollouts, exitCode(s), extra);
            }
            case "abort" -> {
                RolloutStatus s = staged(ws, registry, rollouts, target(ws, uri)).abort(model, args.approver(), new HashSet<>(args.groups()),
                        args.reason(), caller);
                return result(rollouts, exitCode(s), extra);
            }
            default -> {
                return rollback(ws, uri, registry, rollouts, caller, extra);
            }
        }
    }

    /** As the shared-library var: an automatic rollback is left alone, a live rollout of the version aborted, a promoted one moved back. */
    private Map<String, Object> rollback(Path ws, String uri, ModelRegistry registry, Rollouts rollouts, Caller caller, Map<String, Object> extra) {
        Optional<RolloutStatus> latest = rollouts.store().latest(args.model());
        boolean ofCandidate = args.version() != null && latest.isPresent() && latest.get().candidate() == args.version();
        if (ofCandidate && List.of(RolloutState.ROLLED_BACK, RolloutState.ABORTED, RolloutState.FAILED).contains(latest.get().state())) {
            extra.put("rolledBack", false);
            return result(rollouts, 0, extra);
        }
        if (ofCandidate && !latest.get().state().isFinal()) {
            if (args.approver() == null) {
                throw new dev.mlops.error.InvalidInputException("approver: the rollout of " + args.ref() + " is " + latest.get().state()
                        + "; aborting it needs a listed approver (" + String.join(", ", latest.get().plan().approvers()) + ")");
            }
            staged(ws, registry, rollouts, target(ws, uri)).abort(args.model(), args.approver(), new HashSet<>(args.groups()), args.reason(), caller);
            extra.put("rolledBack", true);
            return result(rollouts, 0, extra);
        }
        AliasChange change = new Rollback(registry).rollback(args.model(), args.to(), args.reason(), caller);
        Optional<Deployment> running = Optional.empty();
        DeploymentTarget target = env.containsKey("MLOPS_CLI") ? target(ws, uri) : null;
        if (target != null) {
            running = target.find(StagedDeploy.PRODUCTION);
            running.ifPresent(d -> {
                target.stop(d);
                target.deploy(args.model(), change.toVersion(), StagedDeploy.PRODUCTION, d.url().getPort());
            });
        }
        extra.put("rolledBack", true);
        extra.put("from", change.fromVersion());
        extra.put("to", change.toVersion());
        extra.put("redeployed", running.isPresent());
        return result(rollouts, 0, extra);
    }

    private RolloutStatus live(Rollouts rollouts) {
        return rollouts.store().active(args.model()).orElseThrow(() -> new dev.mlops.error.NotFoundException(
                String.format(StagedDeploy.NO_LIVE, args.model(), args.model())));
    }

    private StagedDeploy.StepTraffic traffic(StagedDeploy staged, Path ws, RolloutStatus live) {
        if (args.traffic() == null) {
            return StagedDeploy.StepTraffic.WAIT;
        }
        float[][] rows;
        try (Predictor candidate = staged.load(live.model(), live.candidate())) {
            rows = StagedDeploy.features(ws.resolve(args.traffic()), candidate.schema(), args.label(), 10_000);
        }
        return new TrafficGenerator(new ServerClient(Duration.ofSeconds(10)), live.model(), rows, args.rps());
    }

    private StagedDeploy staged(Path ws, ModelRegistry registry, Rollouts rollouts, DeploymentTarget target) {
        return new StagedDeploy(registry, rollouts, target, new ServerClient(Duration.ofSeconds(10)), ModelLoader::load, ws.resolve(".mlops/tmp"),
                line -> listener.getLogger().println(Redaction.redact(line, env)));
    }

    /** Local server processes: `$MLOPS_CLI serve ...`, as `mlops deploy` starts them. */
    private DeploymentTarget target(Path ws, String uri) {
        String cli = env.get("MLOPS_CLI");
        if (cli == null || cli.isBlank()) {
            throw new dev.mlops.error.InvalidInputException(String.format(DeployMessages.NO_SERVE_COMMAND, args.action()));
        }
        Path root = ws.resolve(args.deployments());
        List<String> command = new ArrayList<>(List.of(cli.trim().split("\\s+")));
        command.addAll(List.of("serve", "--model", "{model}:{version}", "--port", "{port}", "--admin-port", "{adminPort}",
                "--log-dir", root.resolve("{stage}").resolve("inference").toString(),
                "--registry", uri.matches("^(azblob|file):.*") ? uri : ws.resolve(uri).toString(), "--cache-dir", root.resolve("cache").toString()));
        return new LocalProcessTarget(root, command, HEALTH_TIMEOUT, env.get("MLOPS_ADMIN_TOKEN"), Clock.systemUTC());
    }

    static int exitCode(RolloutStatus s) {
        return switch (s.state()) {
            case ROLLED_BACK, FAILED, ABORTED -> 5;
            case PAUSED_INCONCLUSIVE -> 6;
            default -> 0;
        };
    }

    private Map<String, Object> result(Rollouts rollouts, Integer code, Map<String, Object> extra) {
        Optional<RolloutStatus> latest = rollouts.store().latest(args.model());
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("schema", "mlops.deploy-step/v1");
        r.put("action", args.action());
        r.put("model", args.model());
        r.put("version", latest.map(RolloutStatus::candidate).orElse(args.version()));
        r.put("state", latest.map(s -> s.state().name()).orElse(null));
        r.put("exitCode", code);
        latest.ifPresent(s -> {
            r.put("outcome", s.state() == RolloutState.PAUSED_INCONCLUSIVE ? "INCONCLUSIVE"
                    : s.state().isFinal() ? s.state().name() : code != null && code == 5 ? "FAILED" : "PASS");
            r.put("rollout", s.id());
            r.put("previous", s.previous());
            r.put("canaryWeight", s.canaryWeight());
            r.put("why", s.history().isEmpty() ? null : s.history().get(s.history().size() - 1).why());
            r.put("approvedBy", s.approval() == null ? null : s.approval().by());
            r.put("describe", StagedDeploy.describe(s));
        });
        r.putAll(extra);
        return r;
    }

    @Override
    public String toString() {
        return "DeployOnAgent[" + args.action() + " " + args.ref() + "]";
    }

    private static final long serialVersionUID = 1L;
}
