package dev.mlops.deploy;

import dev.mlops.error.ConflictException;
import dev.mlops.error.InvalidInputException;
import dev.mlops.error.NotFoundException;
import dev.mlops.evaluate.Holdout;
import dev.mlops.model.ModelSchema;
import dev.mlops.model.Predictor;
import dev.mlops.registry.Caller;
import dev.mlops.registry.ModelRef;
import dev.mlops.registry.ModelRegistry;
import dev.mlops.serve.PredictorFactory;
import dev.mlops.storage.TransferListener;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Drives a model's live rollout against real deployments: the smoke gate on its staging
 * deployment, then the canary beside production (weights per plan step set through the server's
 * admin endpoint, each step analysed by {@link Rollouts#runStep}), and human resume or abort of a
 * paused canary. A first model (no production yet) skips the canary: after approval it is deployed
 * to production and the alias moved. The running production server is never restarted: the
 * candidate is loaded into it beside the previous version, and once the rollout ends the version
 * no longer routed to is unloaded. A rollout that fails before the canary leaves production as it was.
 */
public final class StagedDeploy {
    public static final String STAGING = "staging";
    public static final String PRODUCTION = Rollouts.PRODUCTION;
    public static final String NO_LIVE = "rollout: model %s has no live rollout; start one with `mlops deploy %s:VERSION --stage staging`";

    /** What happens while a canary step runs: wait for real traffic, or send some. */
    @FunctionalInterface
    public interface StepTraffic {
        void during(URI server, Duration step);

        /** Real traffic: just wait the step out. */
        StepTraffic WAIT = (server, step) -> sleep(step);
    }

    public record SmokeOutcome(RolloutStatus status, GateResult gate) {
    }

    private final ModelRegistry registry;
    private final Rollouts rollouts;
    private final DeploymentTarget target;
    private final ServerClient client;
    private final PredictorFactory loader;
    private final Path scratch;
    private final Consumer<String> progress;

    /**
     * @param loader   loads a downloaded version to compute the smoke gate's offline predictions
     * @param scratch  folder for those downloads (removed after use)
     * @param progress receives one line per step, for people
     */
    public StagedDeploy(ModelRegistry registry, Rollouts rollouts, DeploymentTarget target, ServerClient client, PredictorFactory loader,
                        Path scratch, Consumer<String> progress) {
        this.registry = registry;
        this.rollouts = rollouts;
        this.target = target;
        this.client = client;
        this.loader = loader;
        this.scratch = scratch;
        this.progress = progress;
    }

    public RolloutStatus live(String model) {
        return rollouts.store().active(model).orElseThrow(() -> new NotFoundException(String.format(NO_LIVE, model, model)));
    }

    /**
     * Sends up to {@code maxRows} holdout rows to the live rollout's staging deployment and requires
     * the offline predictions back; records the result. On PASS with approvers, approval is
     * requested. A failed smoke ends the rollout and stops its staging deployment; production is
     * not touched.
     */
    public SmokeOutcome smoke(String model, Path holdout, String label, int maxRows, Caller caller) {
        RolloutStatus live = live(model);
        Deployment staging = target.find(STAGING).filter(d -> d.model().equals(model) && d.version() == live.candidate())
                .orElseThrow(() -> new NotFoundException("staging: no running deployment of " + model + ":" + live.candidate()
                        + "; deploy it with `mlops deploy " + model + ":" + live.candidate() + " --stage staging`"));
        float[][] rows;
        double[][] expected;
        try (Predictor offline = load(model, live.candidate())) {
            rows = features(holdout, offline.schema(), label, maxRows);
            expected = offline.predict(rows);
        }
        progress.accept(String.format("smoke: %d holdout rows to %s:%d at %s", rows.length, model, live.candidate(), staging.url()));
        GateResult gate = new SmokeGate(client, SmokeGate.DEFAULT_TOLERANCE).check(staging.url(), model, live.candidate(), rows, expected);
        List<String> evidence = gate.measurements().entrySet().stream().map(e -> "measured:" + e.getKey() + "=" + e.getValue()).toList();
        RolloutStatus s = rollouts.apply(model, live.id(), new RolloutEvent.SmokeResult(caller.user(), gate.outcome(), gate.reasons(),
                evidence), caller);
        if (s.state() == RolloutState.SMOKE_PASSED && s.plan().needsApproval()) {
            s = rollouts.apply(model, s.id(), new RolloutEvent.ApprovalRequested(caller.user()), caller);
        }
        finish(s);
        return new SmokeOutcome(s, gate);
    }

    /**
     * Runs the canary of the live rollout: the candidate is loaded into the running production
     * server beside the previous version at 0% (production keeps answering; a failed load fails the
     * rollout and changes nothing), then each plan step sets the weight, lets
     * traffic flow for {@code stepTime} and is analysed. Ends PROMOTED, ROLLED_BACK (100% back to
     * the previous version, automatically) or PAUSED_INCONCLUSIVE (waits for a human).
     */
    public RolloutStatus canary(String model, int port, StepTraffic traffic, Duration stepTime, Caller caller) {
        RolloutStatus s = approvedRollout(model, "start the canary");
        if (s.previous() == null) {
            return first(s, port, caller);
        }
        Deployment production;
        long started = System.nanoTime();
        try {
            production = target.deployWithCanary(model, s.previous(), s.candidate(), PRODUCTION, port);
        } catch (RuntimeException e) {
            fail(s, e, caller);
            throw e;
        }
        progress.accept(String.format("production at %s serves %s:%d (100%%) with %s:%d loaded beside it at 0%% (loaded in %.1f s, no restart)",
                production.url(), model, s.previous(), model, s.candidate(), (System.nanoTime() - started) / 1e9));
        Rollouts.TrafficControl control = policy -> target.setTraffic(production, policy);
        s = rollouts.startCanary(model, s.id(), control, caller);
        return steps(s, production, traffic, stepTime, caller);
    }

    /** A listed approver lets a paused canary go on: the next step (or promotion) as if the analysis had passed. */
    public RolloutStatus resume(String model, String user, Set<String> groups, String reason, StepTraffic traffic, Duration stepTime,
                                Caller caller) {
        RolloutStatus s = live(model);
        Deployment production = canaryDeployment(s);
        s = rollouts.resume(model, s.id(), user, groups, reason, policy -> target.setTraffic(production, policy), caller);
        progress.accept("resumed by " + user + "; " + describe(s));
        return s.state() == RolloutState.CANARY ? steps(s, production, traffic, stepTime, caller) : finish(s);
    }

    /** A listed approver ends the live rollout; canary traffic goes back to 100% of the previous version and the candidate is unloaded. */
    public RolloutStatus abort(String model, String user, Set<String> groups, String reason, Caller caller) {
        RolloutStatus s = live(model);
        boolean canaryLoaded = s.state() == RolloutState.CANARY || s.state() == RolloutState.PAUSED_INCONCLUSIVE;
        Rollouts.TrafficControl control = s.canaryWeight() > 0 || canaryLoaded ? policy -> target.setTraffic(canaryDeployment(s), policy)
                : Rollouts.TrafficControl.NONE;
        RolloutStatus ended = rollouts.abort(model, s.id(), user, groups, reason, control, caller);
        if (canaryLoaded && ended.state().isFinal()) {
            target.find(PRODUCTION).filter(d -> d.model().equals(model)).ifPresent(d -> unload(d, ended.candidate()));
        }
        return finish(ended);
    }

    /**
     * Level 3 release without a canary: the approved candidate is loaded beside production, takes
     * all traffic at once and the {@code production} alias moves; the previous version is then
     * unloaded. Production keeps answering throughout; a failed load fails the rollout and changes nothing.
     */
    public RolloutStatus promote(String model, int port, Caller caller) {
        RolloutStatus s = approvedRollout(model, "promote");
        if (s.previous() == null) {
            return first(s, port, caller);
        }
        Deployment production;
        try {
            production = target.deployWithCanary(model, s.previous(), s.candidate(), PRODUCTION, port);
        } catch (RuntimeException e) {
            fail(s, e, caller);
            throw e;
        }
        Rollouts.TrafficControl control = policy -> target.setTraffic(production, policy);
        s = rollouts.startCanary(model, s.id(), control, caller);
        s = rollouts.promote(model, s.id(), "promoted without a canary: the plan's release is a direct switch after approval", control, caller);
        unload(target.servesNow(production, s.candidate()), s.previous());
        progress.accept(describe(s));
        return finish(s);
    }

    private RolloutStatus approvedRollout(String model, String what) {
        RolloutStatus s = live(model);
        boolean approved = s.state() == RolloutState.APPROVED || s.state() == RolloutState.SMOKE_PASSED && !s.plan().needsApproval();
        if (!approved) {
            throw new ConflictException(String.format(Rollout.WRONG_STATE, what, s.state(), s.state() == RolloutState.AWAITING_APPROVAL
                    ? "approve it first: `mlops deploy approve " + model + " --as USER` (approvers: " + String.join(", ", s.plan().approvers()) + ")"
                    : "a release starts from APPROVED (or SMOKE_PASSED without approvers); see `mlops deploy status " + model + "`"));
        }
        return s;
    }

    private RolloutStatus steps(RolloutStatus s, Deployment production, StepTraffic traffic, Duration stepTime, Caller caller) {
        Path log = target.inferenceLog(production).orElse(null);
        Rollouts.TrafficControl control = policy -> target.setTraffic(production, policy);
        while (s.state() == RolloutState.CANARY) {
            int step = s.stepIndex();
            progress.accept(String.format("step %d/%d: %s:%d takes %d%% of traffic for %s s", step + 1, s.plan().steps().size(), s.model(),
                    s.candidate(), s.canaryWeight(), stepTime.toMillis() / 1000.0));
            s = rollouts.runStep(s.model(), s.id(), client, production.url(), log, () -> traffic.during(production.url(), stepTime), control, caller);
            progress.accept("  " + s.history().get(s.history().size() - 1).why() + " " + measured(s));
        }
        if (s.state() == RolloutState.PROMOTED) {
            unload(target.servesNow(production, s.candidate()), s.previous());
        } else if (s.state() == RolloutState.ROLLED_BACK) {
            unload(production, s.candidate());
        }
        progress.accept(describe(s));
        return finish(s);
    }

    /**
     * Frees the version the ended rollout no longer routes to. The rollout has already ended and
     * been recorded, so a failure here is reported, not thrown: the version just stays loaded.
     */
    private void unload(Deployment production, int version) {
        try {
            target.unloadVersion(production, version);
            progress.accept(String.format("unloaded %s:%d from production (no traffic routes to it)", production.model(), version));
        } catch (RuntimeException e) {
            progress.accept(String.format("could not unload %s:%d from production (%s); it stays loaded, unused, until production restarts",
                    production.model(), version, e.getMessage()));
        }
    }

    /** First model: nothing to compare a canary with, so production gets it directly and the alias moves. */
    private RolloutStatus first(RolloutStatus s, int port, Caller caller) {
        progress.accept(s.model() + " has no production version yet: deploying " + s.model() + ":" + s.candidate()
                + " to production directly (no canary: there is nothing to compare it with)");
        Deployment production;
        try {
            production = target.deploy(s.model(), s.candidate(), PRODUCTION, port);
        } catch (RuntimeException e) {
            fail(s, e, caller);
            throw e;
        }
        s = rollouts.startCanary(s.model(), s.id(), Rollouts.TrafficControl.NONE, caller);
        s = rollouts.promote(s.model(), s.id(), "first model: no production version to run a canary against", Rollouts.TrafficControl.NONE, caller);
        progress.accept(String.format("production at %s serves %s:%d; %s@production -> %d", production.url(), s.model(), s.candidate(),
                s.model(), s.candidate()));
        return finish(s);
    }

    private Deployment canaryDeployment(RolloutStatus s) {
        return target.find(PRODUCTION).filter(d -> d.model().equals(s.model()))
                .orElseThrow(() -> new NotFoundException("production: no running deployment of " + s.model() + " carries the canary of rollout "
                        + s.id() + "; abort it (`mlops deploy abort " + s.model() + " --as USER`) and start again"));
    }

    private void fail(RolloutStatus s, RuntimeException e, Caller caller) {
        finish(rollouts.apply(s.model(), s.id(), new RolloutEvent.Error(caller.user(), String.valueOf(e.getMessage())), caller));
    }

    /** A rollout that ended no longer needs its staging deployment. */
    private RolloutStatus finish(RolloutStatus s) {
        if (s.state().isFinal()) {
            target.find(STAGING).filter(d -> d.model().equals(s.model()) && d.version() == s.candidate()).ifPresent(d -> {
                target.stop(d);
                progress.accept("stopped staging " + s.model() + ":" + s.candidate() + " (rollout " + s.state() + ")");
            });
        }
        return s;
    }

    public static String describe(RolloutStatus s) {
        return switch (s.state()) {
            case PROMOTED -> String.format("PROMOTED: %s@production -> %d, 100%% of traffic to %s:%d", s.model(), s.candidate(), s.model(), s.candidate());
            case ROLLED_BACK -> String.format("ROLLED_BACK: 100%% of traffic back to %s:%d (automatic); %s@production stays %d", s.model(),
                    s.previous(), s.model(), s.previous());
            case PAUSED_INCONCLUSIVE -> String.format("PAUSED_INCONCLUSIVE at %d%%: waits for a human: `mlops deploy resume %s --as USER` or "
                    + "`mlops deploy abort %s --as USER`", s.canaryWeight(), s.model(), s.model());
            default -> s.state() + (s.history().isEmpty() ? "" : ": " + s.history().get(s.history().size() - 1).why());
        };
    }

    private static String measured(RolloutStatus s) {
        List<String> evidence = s.history().get(s.history().size() - 1).evidence();
        return evidence.isEmpty() ? "" : "(" + String.join(", ", evidence.stream().map(StagedDeploy::rounded).toList()) + ")";
    }

    /** "measured:p99Millis=42.99999" → "p99Millis=43". */
    private static String rounded(String evidence) {
        String e = evidence.replace("measured:", "");
        int eq = e.indexOf('=');
        try {
            String value = String.format(java.util.Locale.ROOT, "%.3g", Double.parseDouble(e.substring(eq + 1)));
            return e.substring(0, eq + 1) + (value.contains(".") && !value.contains("e") ? value.replaceAll("\\.?0+$", "") : value);
        } catch (RuntimeException notANumber) {
            return e;
        }
    }

    /** Downloads a version and loads it; the download is deleted once loaded. */
    public Predictor load(String model, int version) {
        Path dir = scratch.resolve("smoke-" + model + "-" + version + "-" + System.nanoTime());
        try {
            registry.download(new ModelRef(model, version, null), dir, TransferListener.NONE);
            return loader.load(dir);
        } finally {
            delete(dir);
        }
    }

    /** The feature columns of the model's schema from a holdout CSV, at most {@code maxRows} rows. */
    public static float[][] features(Path csv, ModelSchema schema, String label, int maxRows) {
        if (maxRows < 1) {
            throw new InvalidInputException("rows: " + maxRows + " is below 1; give how many holdout rows to send, such as 100");
        }
        Holdout holdout = Holdout.read(csv, schema, label == null ? Holdout.Options.defaults() : Holdout.Options.defaults().withLabelColumn(label));
        int n = Math.min(maxRows, holdout.rows());
        float[][] rows = new float[n][schema.features().size()];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < rows[i].length; j++) {
                rows[i][j] = holdout.feature(i, j);
            }
        }
        return rows;
    }

    static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis(), (int) (d.toNanos() % 1_000_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DeployException("canary: interrupted while traffic flowed");
        }
    }

    private static void delete(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a leftover scratch download is harmless
        }
    }
}
