package dev.mlops.retrain;

import dev.mlops.error.ConflictException;
import dev.mlops.error.InvalidInputException;
import dev.mlops.error.StorageUnavailableException;
import dev.mlops.json.Json;
import dev.mlops.storage.ArtifactStore;
import dev.mlops.storage.StoredObject;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Cool-down, daily budget and pending decisions per subject ({@code model/churn},
 * {@code job/team/churn-retrain}), one document per subject at
 * {@code retrain/ledger/<subject>.json} in an {@link ArtifactStore}. Every change is a
 * compare-and-swap (create-if-absent, then replace-if-etag), so separate processes, CLI runs or
 * machines sharing the store never both pass the same cool-down.
 */
public final class RetrainLedger {
    static final String PREFIX = "retrain/ledger/";
    private static final int MAX_ATTEMPTS = 64;

    private final ArtifactStore store;
    private final Clock clock;

    public RetrainLedger(ArtifactStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    public Clock clock() {
        return clock;
    }

    /** What {@link #reserve} would answer now, without changing anything. */
    public Admission check(String subject, RetrainPolicy policy) {
        return admit(read(subject).map(Versioned::state).orElse(empty(subject)), policy, clock.instant());
    }

    /** Admits and records a trigger at the current time, or refuses it; atomic across processes. */
    public Admission reserve(String subject, RetrainPolicy policy) {
        Admission[] answer = new Admission[1];
        update(subject, state -> {
            Instant now = clock.instant();
            answer[0] = admit(state, policy, now);
            if (!answer[0].admitted()) {
                return null;
            }
            List<Instant> triggers = new ArrayList<>(prune(state.triggers(), policy, now));
            triggers.add(now);
            answer[0] = Admission.yesAt(now);
            return new LedgerState(LedgerState.SCHEMA, subject, triggers, state.pending());
        });
        return answer[0];
    }

    /** Takes back a reservation whose delivery failed, so it neither blocks the cool-down nor uses budget. */
    public void release(String subject, Instant reservedAt) {
        update(subject, state -> {
            List<Instant> triggers = new ArrayList<>(state.triggers());
            return triggers.remove(reservedAt) ? new LedgerState(LedgerState.SCHEMA, subject, triggers, state.pending()) : null;
        });
    }

    /** Records a decision a human must take, unless one is pending already (then refused, naming it). */
    public Admission pause(String subject, LedgerState.PendingDecision decision) {
        Admission[] answer = new Admission[1];
        update(subject, state -> {
            if (state.pending() != null) {
                answer[0] = Admission.no(Admission.Refusal.PENDING_DECISION, "a retrain of " + subject + " has waited for a human decision since "
                        + state.pending().since() + " (" + state.pending().reason() + ")", Duration.ZERO);
                return null;
            }
            answer[0] = Admission.yes();
            return new LedgerState(LedgerState.SCHEMA, subject, state.triggers(), decision);
        });
        return answer[0];
    }

    /** Clears a pending decision (a human took it); returns the one cleared. */
    public Optional<LedgerState.PendingDecision> resolve(String subject) {
        LedgerState.PendingDecision[] cleared = new LedgerState.PendingDecision[1];
        update(subject, state -> {
            cleared[0] = state.pending();
            return state.pending() == null ? null : new LedgerState(LedgerState.SCHEMA, subject, state.triggers(), null);
        });
        return Optional.ofNullable(cleared[0]);
    }

    public LedgerState state(String subject) {
        return read(subject).map(Versioned::state).orElse(empty(subject));
    }

    static Admission admit(LedgerState state, RetrainPolicy policy, Instant now) {
        List<Instant> triggers = state.triggers();
        if (!triggers.isEmpty() && !policy.cooldown().isZero()) {
            Instant last = triggers.stream().max(Instant::compareTo).orElseThrow();
            Instant free = last.plus(policy.cooldown());
            if (now.isBefore(free)) {
                return Admission.no(Admission.Refusal.COOLDOWN, "cool-down: " + state.subject() + " was triggered at " + last
                        + "; the next trigger is allowed from " + free + " (cooldown " + policy.cooldown().toMinutes() + " min)",
                        Duration.between(now, free));
            }
        }
        if (policy.maxPerDay() > 0) {
            Instant dayStart = now.atZone(ZoneOffset.UTC).truncatedTo(ChronoUnit.DAYS).toInstant();
            long today = triggers.stream().filter(t -> !t.isBefore(dayStart) && !t.isAfter(now)).count();
            if (today >= policy.maxPerDay()) {
                Instant tomorrow = dayStart.plus(Duration.ofDays(1));
                return Admission.no(Admission.Refusal.BUDGET, "budget: " + state.subject() + " was already triggered " + today
                        + " time(s) today (UTC), max_per_day " + policy.maxPerDay() + "; the budget resets at " + tomorrow,
                        Duration.between(now, tomorrow));
            }
        }
        return Admission.yes();
    }

    /** Keeps what still matters: today's triggers (budget) and the last one (cool-down). */
    private static List<Instant> prune(List<Instant> triggers, RetrainPolicy policy, Instant now) {
        Instant dayStart = now.atZone(ZoneOffset.UTC).truncatedTo(ChronoUnit.DAYS).toInstant();
        Instant keepFrom = dayStart.isBefore(now.minus(policy.cooldown())) ? dayStart : now.minus(policy.cooldown());
        Optional<Instant> last = triggers.stream().max(Instant::compareTo);
        List<Instant> kept = new ArrayList<>(triggers.stream().filter(t -> !t.isBefore(keepFrom)).sorted().toList());
        last.filter(l -> !kept.contains(l)).ifPresent(l -> kept.add(0, l));
        return kept;
    }

    private record Versioned(LedgerState state, String etag) {
    }

    /** Applies {@code change} (null = leave as is) with compare-and-swap, re-reading on conflict. */
    private void update(String subject, Function<LedgerState, LedgerState> change) {
        String key = key(subject);
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            Optional<Versioned> current = read(subject);
            LedgerState next = change.apply(current.map(Versioned::state).orElse(empty(subject)));
            if (next == null) {
                return;
            }
            byte[] bytes = Json.toBytes(next);
            try {
                if (current.isEmpty()) {
                    store.create(key, bytes);
                } else {
                    store.replace(key, bytes, current.get().etag());
                }
                return;
            } catch (ConflictException changedMeanwhile) {
                // another process wrote first: decide again on its state
            }
        }
        throw new StorageUnavailableException("retrain ledger " + key + " in " + store.location() + " is too contended; retry");
    }

    private Optional<Versioned> read(String subject) {
        String key = key(subject);
        Optional<StoredObject> object = store.read(key);
        if (object.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new Versioned(Json.fromBytes(object.get().content(), LedgerState.class), object.get().etag()));
        } catch (RuntimeException damaged) {
            throw new StorageUnavailableException("retrain ledger " + key + " in " + store.location()
                    + " is not valid JSON; restore it or delete it (that forgets cool-downs and budget use)");
        }
    }

    private static LedgerState empty(String subject) {
        return new LedgerState(LedgerState.SCHEMA, subject, List.of(), null);
    }

    /** {@code job/a/b} → {@code retrain/ledger/job=2Fa=2Fb.json}: one flat, escape-proof object name. */
    static String key(String subject) {
        if (subject == null || subject.isEmpty() || subject.length() > 300) {
            throw new InvalidInputException("retrain subject: '" + subject + "' is empty or too long");
        }
        StringBuilder name = new StringBuilder();
        for (byte b : subject.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if (c < 128 && (Character.isLetterOrDigit(c) || c == '-' || c == '_') && !(name.isEmpty() && c == '-')) {
                name.append(c);
            } else {
                name.append('=').append(String.format("%02X", b & 0xff));
            }
        }
        return PREFIX + name + ".json";
    }
}
