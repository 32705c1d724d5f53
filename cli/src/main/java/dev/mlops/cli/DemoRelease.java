package dev.mlops.cli;

import dev.mlops.deploy.Deployment;
import dev.mlops.deploy.DeploymentTarget;
import dev.mlops.deploy.RolloutEvent;
import dev.mlops.deploy.RolloutPlan;
import dev.mlops.deploy.RolloutStatus;
import dev.mlops.deploy.Rollouts;
import dev.mlops.deploy.ServerClient;
import dev.mlops.deploy.StagedDeploy;
import dev.mlops.deploy.TrafficGenerator;
import dev.mlops.evaluate.Outcome;
import dev.mlops.model.ModelLoader;
import dev.mlops.model.Predictor;
import dev.mlops.registry.Caller;
import dev.mlops.registry.ModelRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Releases each version that passed its gate the staged way, on local servers under the demo's
 * folder: staging, smoke against the offline predictions, approval by --approve-as, then the canary
 * with generated traffic (or, for the first model, production directly). {@link #stop()} stops
 * what it started unless --keep-running; it is safe to call twice (the shutdown hook and finally).
 */
final class DemoRelease {
    static final int RPS = 250;
    static final String LABEL = "churned";
    private final Context context;
    private final RegistryOptions registry;
    private final DeploymentTarget target;
    private final ServerClient client = new ServerClient(Duration.ofSeconds(10));
    private final RolloutPlan plan;
    private final Duration step;
    private final boolean keepRunning;
    private final Consumer<String> out;
    private final int productionPort;
    private final int stagingPort;

    /** @param context the demo's context: working folder the demo folder, the admin token in its environment */
    DemoRelease(Context context, RegistryOptions registry, RolloutPlan plan, Duration step, int productionPort, boolean keepRunning) {
        this.context = context;
        this.registry = registry;
        this.plan = plan;
        this.step = step;
        this.keepRunning = keepRunning;
        this.out = line -> context.out().println("  " + line);
        this.target = DeployCommand.target(context, registry, context.workingDir().resolve(".mlops/deployments"), 120, DeployTargets.LOCAL);
        stopAll("left running by an earlier demo");
        this.productionPort = freePortPair(productionPort);
        this.stagingPort = freePortPair(this.productionPort + 2);
    }

    /**
     * Stages {@code version}; smoke and canary traffic come from {@code rows} (a labelled CSV of the traffic
     * production sees). Empty when the smoke gate stopped it.
     */
    Optional<RolloutStatus> rollout(int version, String report, Path rows) {
        String model = DemoCommand.MODEL;
        Caller caller = Caller.fromEnvironment(context.env());
        try (ModelRegistry opened = registry.open(context)) {
            Rollouts rollouts = DeployCommand.rollouts(opened, context);
            rollouts.store().active(model).ifPresent(old -> rollouts.apply(model, old.id(),
                    new RolloutEvent.Abort(caller.user(), "abandoned: a new demo run started"), caller));
            StagedDeploy staged = new StagedDeploy(opened, rollouts, target, client, ModelLoader::load,
                    context.workingDir().resolve(".mlops/tmp"), out);
            RolloutStatus s = rollouts.begin(model, version, plan, caller);
            Deployment staging = target.deploy(model, version, StagedDeploy.STAGING, stagingPort);
            rollouts.apply(model, s.id(), new RolloutEvent.StagingDeployed(caller.user(), staging.url().toString()), caller);
            out.accept(String.format("staging: %s:%d answers at %s (pid %d)", model, version, staging.url(), staging.pid()));
            StagedDeploy.SmokeOutcome smoke = staged.smoke(model, rows, LABEL, 200, caller);
            out.accept(String.format("smoke %s: %.0f rows, %.0f differ from the offline predictions", smoke.gate().outcome(),
                    smoke.gate().measurements().getOrDefault("rows", 0.0), smoke.gate().measurements().getOrDefault("mismatched", 0.0)));
            if (smoke.gate().outcome() != Outcome.PASS) {
                out.accept("not released: " + String.join("; ", smoke.gate().reasons()) + " (production untouched)");
                return Optional.empty();
            }
            rollouts.approve(model, s.id(), plan.approvers().get(0), Set.of(), List.of(report), caller);
            out.accept(String.format("approved by %s (--approve-as; the plan's only approver; in Jenkins: mlopsApprove or input)",
                    plan.approvers().get(0)));
            float[][] features;
            try (Predictor candidate = staged.load(model, version)) {
                features = StagedDeploy.features(rows, candidate.schema(), LABEL, 2000);
            }
            TrafficGenerator traffic = new TrafficGenerator(client, model, features, RPS);
            if (s.previous() != null) {
                out.accept(String.format("canary %s: %d requests/s generated from %s, %.1f s per step", plan.steps(), RPS,
                        context.workingDir().relativize(rows.toAbsolutePath()), step.toMillis() / 1000.0));
            }
            RolloutStatus end = staged.canary(model, productionPort, traffic, step, caller);
            if (traffic.sent() > 0) {
                out.accept(String.format("%d requests sent during the canary, %d failed; rollout %s", traffic.sent(), traffic.failed(), end.state()));
            }
            return Optional.of(end);
        }
    }

    /** The production server, if one runs. */
    Optional<Deployment> production() {
        return target.find(StagedDeploy.PRODUCTION);
    }

    /** Where the production server logs its requests (the monitor's input). */
    Optional<Path> productionLog() {
        return production().flatMap(target::inferenceLog);
    }

    /** Sends {@code rows} to production in batches of {@code batch} rows; returns how many requests failed. */
    int send(float[][] rows, int batch) {
        URI infer = production().orElseThrow(() -> new IllegalStateException("demo: no production server runs"))
                .url().resolve("/v2/models/" + DemoCommand.MODEL + "/infer");
        int failed = 0;
        for (int from = 0; from < rows.length; from += batch) {
            float[][] chunk = java.util.Arrays.copyOfRange(rows, from, Math.min(rows.length, from + batch));
            try {
                failed += client.post(infer, request(chunk), null).status() == 200 ? 0 : 1;
            } catch (RuntimeException e) {
                failed++;
            }
        }
        return failed;
    }

    void stop() {
        if (keepRunning) {
            production().ifPresent(d -> context.out().printf(
                    "%nproduction keeps running at %s (pid %d; --keep-running); stop it with: kill %d%n", d.url(), d.pid(), d.pid()));
            target.find(StagedDeploy.STAGING).ifPresent(target::stop);
            return;
        }
        stopAll("the demo leaves nothing running; --keep-running keeps production");
    }

    private synchronized void stopAll(String why) {
        for (String stage : List.of(StagedDeploy.STAGING, StagedDeploy.PRODUCTION)) {
            target.find(stage).ifPresent(d -> {
                target.stop(d);
                context.out().printf("  stopped %s %s:%d at %s (%s)%n", stage, d.model(), d.version(), d.url(), why);
            });
        }
    }

    /** A KServe v2 request of FP32 rows. */
    static String request(float[][] rows) {
        StringBuilder b = new StringBuilder("{\"inputs\":[{\"name\":\"input-0\",\"shape\":[").append(rows.length).append(',')
                .append(rows[0].length).append("],\"datatype\":\"FP32\",\"data\":[");
        String separator = "";
        for (float[] row : rows) {
            for (float value : row) {
                b.append(separator).append(value);
                separator = ",";
            }
        }
        return b.append("]}]}").toString();
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

    static int freePort() {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("no free port on 127.0.0.1: " + e.getMessage(), e);
        }
    }

    private static boolean free(int port) {
        try (ServerSocket probe = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
