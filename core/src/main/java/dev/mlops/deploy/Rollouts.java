package dev.mlops.deploy;

import dev.mlops.audit.AuditRecord;
import dev.mlops.deploy.RolloutEvent.Abort;
import dev.mlops.deploy.RolloutEvent.Approved;
import dev.mlops.deploy.RolloutEvent.CanaryStarted;
import dev.mlops.deploy.RolloutEvent.CanaryStepAnalysed;
import dev.mlops.error.ConflictException;
import dev.mlops.registry.AliasPointer;
import dev.mlops.registry.Caller;
import dev.mlops.registry.ModelRegistry;
import dev.mlops.serve.TrafficPolicy;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Runs rollouts: applies events through the pure {@link Rollout#transition}, saves the status,
 * appends one audit event per transition (who, when, from → to, why, evidence), and acts on the
 * result: canary weight per step, 100% back to primary on rollback, and on promotion the
 * {@code production} alias moved with compare-and-swap expecting the version the rollout replaced.
 */
public final class Rollouts {
    public static final String PRODUCTION = "production";

    /** Applies a traffic policy to the serving deployment. */
    @FunctionalInterface
    public interface TrafficControl {
        void apply(TrafficPolicy policy);

        TrafficControl NONE = policy -> { };
    }

    private final ModelRegistry registry;
    private final RolloutStore store;
    private final ApprovalGate gate;
    private final Clock clock;

    public Rollouts(ModelRegistry registry, RolloutStore store, ApprovalGate gate, Clock clock) {
        this.registry = registry;
        this.store = store;
        this.gate = gate;
        this.clock = clock;
    }

    public RolloutStore store() {
        return store;
    }

    /** Starts a rollout of {@code candidate}, replacing whatever {@code production} points at now. One live rollout per model. */
    public RolloutStatus begin(String model, int candidate, RolloutPlan plan, Caller caller) {
        registry.version(model, candidate);
        store.active(model).ifPresent(active -> {
            throw new ConflictException("rollout: " + model + " already has rollout " + active.id() + " of version " + active.candidate()
                    + " in " + active.state() + "; finish or abort it first (`mlops deploy status " + model + "`)");
        });
        Integer previous = registry.model(model).alias(PRODUCTION).map(AliasPointer::version).orElse(null);
        if (previous != null && previous == candidate) {
            throw new ConflictException("rollout: " + model + ":" + candidate + " is already production; register a new version to roll out");
        }
        Instant now = clock.instant();
        String id = "v" + candidate + "-" + now.toEpochMilli();
        RolloutStatus status = store.save(RolloutStatus.begin(id, model, candidate, previous, plan, now));
        audit(caller.user(), "rollout.begin", status, null, RolloutState.PENDING, "rollout of " + model + ":" + candidate
                + " replacing " + (previous == null ? "nothing" : "version " + previous), List.of(), caller);
        return status;
    }

    /** Applies one event without side effects on traffic or aliases. */
    public RolloutStatus apply(String model, String id, RolloutEvent event, Caller caller) {
        RolloutStatus before = store.load(model, id);
        RolloutStatus after = Rollout.transition(before, event, clock.instant());
        store.save(after);
        audit(event.actor(), "rollout." + event.name(), after, before.state(), after.state(), event.why(), event.evidence(), caller);
        return after;
    }

    /** A listed approver approves; anyone else is refused with the list of who may. */
    public RolloutStatus approve(String model, String id, String user, Set<String> groups, List<String> evidence, Caller caller) {
        RolloutStatus status = store.load(model, id);
        gate.checkMayDecide(status, user, groups, "approve");
        return apply(model, id, new Approved(user, evidence), caller);
    }

    /** A listed approver aborts; canary traffic goes back to 100% primary. */
    public RolloutStatus abort(String model, String id, String user, Set<String> groups, String reason, TrafficControl traffic, Caller caller) {
        RolloutStatus status = store.load(model, id);
        gate.checkMayDecide(status, user, groups, "abort");
        return act(apply(model, id, new Abort(user, reason), caller), traffic, caller);
    }

    /** A listed approver lets an inconclusive pause go on (as if the analysis had passed). */
    public RolloutStatus resume(String model, String id, String user, Set<String> groups, String reason, TrafficControl traffic, Caller caller) {
        RolloutStatus status = store.load(model, id);
        gate.checkMayDecide(status, user, groups, "resume");
        return act(apply(model, id, new RolloutEvent.Resumed(user, reason), caller), traffic, caller);
    }

    /**
     * Promotes now, skipping the remaining canary steps: {@code production} moves to the candidate
     * and all traffic goes to it. Used for a first model, which has no production to canary against.
     */
    public RolloutStatus promote(String model, String id, String reason, TrafficControl traffic, Caller caller) {
        return act(apply(model, id, new RolloutEvent.Promote(caller.user(), reason), caller), traffic, caller);
    }

    public RolloutStatus startCanary(String model, String id, TrafficControl traffic, Caller caller) {
        return act(apply(model, id, new CanaryStarted(caller.user()), caller), traffic, caller);
    }

    /** Records a step's analysis and acts on it: next weight, rollback, or promotion. */
    public RolloutStatus recordAnalysis(String model, String id, GateResult result, TrafficControl traffic, Caller caller) {
        RolloutStatus after = apply(model, id, new CanaryStepAnalysed(caller.user(), result.outcome(), result.reasons(),
                result.measurements().entrySet().stream().map(e -> "measured:" + e.getKey() + "=" + e.getValue()).toList()), caller);
        return act(after, traffic, caller);
    }

    /**
     * Runs one canary step against a live server: scrapes {@code /metrics}, lets {@code duringStep}
     * run (the step's wait while traffic flows), scrapes again, analyses the canary's delta and the
     * logged predictions of canary and primary in that window, and records the outcome.
     */
    public RolloutStatus runStep(String model, String id, ServerClient client, URI server, Path inferenceLog, Runnable duringStep,
                                 TrafficControl traffic, Caller caller) {
        RolloutStatus status = store.load(model, id);
        MetricsSnapshot before = client.metrics(server);
        Instant from = clock.instant();
        duringStep.run();
        MetricsSnapshot after = client.metrics(server);
        Instant to = clock.instant().plusMillis(1);
        MetricsSnapshot.VersionMetrics delta = after.version(model, status.candidate()).minus(before.version(model, status.candidate()));
        List<double[]> canaryOut = PredictionLog.outputs(inferenceLog, model, status.candidate(), from, to);
        List<double[]> primaryOut = status.previous() == null ? List.of()
                : PredictionLog.outputs(inferenceLog, model, status.previous(), from, to);
        GateResult result = new CanaryAnalysis(status.plan().analysis()).analyse(delta, canaryOut, primaryOut);
        return recordAnalysis(model, id, result, traffic, caller);
    }

    /** Side effects of the state just entered. */
    private RolloutStatus act(RolloutStatus s, TrafficControl traffic, Caller caller) {
        switch (s.state()) {
            case CANARY -> {
                if (s.previous() != null) {
                    traffic.apply(TrafficPolicy.primaryOnly(s.model(), s.previous()).withCanary(s.candidate(), s.canaryWeight()));
                }
            }
            case ROLLED_BACK, FAILED, ABORTED -> {
                if (s.previous() != null) {
                    traffic.apply(TrafficPolicy.primaryOnly(s.model(), s.previous()));
                }
            }
            case PROMOTED -> {
                try {
                    registry.setAlias(s.model(), PRODUCTION, s.candidate(), s.previous() == null ? 0 : s.previous(), caller,
                            "rollout " + s.id() + " promoted");
                } catch (ConflictException moved) {
                    RolloutStatus failed = store.save(Rollout.transition(reopen(s), new RolloutEvent.Error(caller.user(), moved.getMessage()),
                            clock.instant()));
                    audit(caller.user(), "rollout.error", failed, RolloutState.PROMOTED, RolloutState.FAILED, moved.getMessage(), List.of(), caller);
                    if (s.previous() != null) {
                        traffic.apply(TrafficPolicy.primaryOnly(s.model(), s.previous()));
                    }
                    throw moved;
                }
                traffic.apply(TrafficPolicy.primaryOnly(s.model(), s.candidate()));
            }
            default -> {
            }
        }
        return s;
    }

    /** The status before promotion took effect, so the failed alias move can be recorded as an error. */
    private static RolloutStatus reopen(RolloutStatus s) {
        return new RolloutStatus(s.schema(), s.id(), s.model(), s.candidate(), s.previous(), s.plan(), RolloutState.CANARY, s.stepIndex(),
                null, null, s.approval(), s.createdAt(), s.updatedAt(), s.history());
    }

    private void audit(String actor, String action, RolloutStatus s, RolloutState from, RolloutState to, String why, List<String> evidence,
                       Caller caller) {
        Map<String, String> details = new LinkedHashMap<>();
        details.put("rollout", s.id());
        if (from != null) {
            details.put("from", from.name());
        }
        details.put("to", to.name());
        details.put("step", String.valueOf(s.stepIndex()));
        details.put("canaryWeight", String.valueOf(s.canaryWeight()));
        if (!evidence.isEmpty()) {
            details.put("evidence", String.join(" ", evidence));
        }
        registry.audit().append(new AuditRecord(actor, action, "model/" + s.model() + ":" + s.candidate(), why, caller.build().describe(), details));
    }
}
