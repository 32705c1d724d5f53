package dev.mlops.audit;

import dev.mlops.error.ConflictException;
import dev.mlops.error.StorageUnavailableException;
import dev.mlops.json.Json;
import dev.mlops.storage.ArtifactStore;
import dev.mlops.storage.StoredObject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * Append-only, hash-chained audit log on any {@link ArtifactStore}. Each event is its own object
 * ({@code audit/events/<seq>.json}) created with create-if-absent, so concurrent writers in
 * different processes get distinct, gap-free sequence numbers; {@code audit/HEAD.json} is a hint
 * to the last event, advanced with compare-and-swap by whoever notices it lagging.
 */
public final class AuditLog {
    static final String HEAD = "audit/HEAD.json";
    static final String EVENTS = "audit/events/";
    static final String GENESIS = "0".repeat(64);
    private static final int MAX_ATTEMPTS = 10_000;

    private final ArtifactStore store;
    private final Clock clock;

    public AuditLog(ArtifactStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    record Head(long seq, String hash) {
    }

    public AuditEvent append(AuditRecord record) {
        Optional<StoredObject> headObject = store.read(HEAD);
        Head head = headObject.map(o -> Json.fromBytes(o.content(), Head.class)).orElse(new Head(0, GENESIS));
        long next = head.seq() + 1;
        String previousHash = head.hash();
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++, next++) {
            AuditEvent unsigned = new AuditEvent(AuditEvent.SCHEMA, next, clock.instant(), record.actor(), record.action(),
                    record.target(), record.reason(), record.build(), record.details(), previousHash, null);
            AuditEvent event = unsigned.withHash(hashOf(unsigned));
            try {
                store.create(eventKey(next), Json.toBytes(event));
                advanceHead(headObject, new Head(next, event.hash()));
                return event;
            } catch (ConflictException taken) {
                // another writer got this number first: chain onto its event and try the next number
                long takenSeq = next;
                previousHash = store.read(eventKey(next)).map(o -> Json.fromBytes(o.content(), AuditEvent.class).hash())
                        .orElseThrow(() -> new StorageUnavailableException("audit event " + takenSeq + " vanished from " + store.location()));
            }
        }
        throw new StorageUnavailableException("audit log in " + store.location() + " is too contended; retry");
    }

    /** Moves HEAD forward to {@code head} unless someone already moved it further; HEAD is only a hint. */
    private void advanceHead(Optional<StoredObject> seen, Head head) {
        Optional<StoredObject> current = seen;
        for (int attempt = 0; attempt < 8; attempt++) {
            try {
                if (current.isEmpty()) {
                    store.create(HEAD, Json.toBytes(head));
                } else if (Json.fromBytes(current.get().content(), Head.class).seq() < head.seq()) {
                    store.replace(HEAD, Json.toBytes(head), current.get().etag());
                }
                return;
            } catch (ConflictException movedMeanwhile) {
                current = store.read(HEAD);
            }
        }
    }

    /** Events with {@code seq >= fromSeq}, oldest first, at most {@code limit} (0 = all). */
    public List<AuditEvent> read(long fromSeq, int limit) {
        List<AuditEvent> events = new ArrayList<>();
        for (String key : store.list(EVENTS)) {
            long seq = seqOf(key);
            if (seq < fromSeq) {
                continue;
            }
            store.read(key).ifPresent(o -> events.add(Json.fromBytes(o.content(), AuditEvent.class)));
            if (limit > 0 && events.size() >= limit) {
                break;
            }
        }
        return events;
    }

    /** Events about a target (exact match or prefix "model/"), newest last. */
    public List<AuditEvent> readFor(String targetPrefix) {
        return read(1, 0).stream().filter(e -> e.target() != null && e.target().startsWith(targetPrefix)).toList();
    }

    public AuditVerification verify() {
        String previous = GENESIS;
        long expected = 1;
        for (String key : store.list(EVENTS)) {
            long seq = seqOf(key);
            Optional<StoredObject> object = store.read(key);
            if (seq != expected || object.isEmpty()) {
                return new AuditVerification(false, expected - 1, expected, "event " + expected + " is missing");
            }
            AuditEvent event = Json.fromBytes(object.get().content(), AuditEvent.class);
            if (event.seq() != seq) {
                return new AuditVerification(false, expected - 1, seq, "event " + seq + " claims sequence " + event.seq());
            }
            if (!previous.equals(event.prevHash())) {
                return new AuditVerification(false, expected - 1, seq, "event " + seq + " does not link to event " + (seq - 1));
            }
            if (!hashOf(event.withoutHash()).equals(event.hash())) {
                return new AuditVerification(false, expected - 1, seq, "event " + seq + " was modified after it was written");
            }
            previous = event.hash();
            expected++;
        }
        long count = expected - 1;
        Optional<Head> head = store.read(HEAD).map(o -> Json.fromBytes(o.content(), Head.class));
        if (head.isPresent() && head.get().seq() > count) {
            return new AuditVerification(false, count, count + 1, "events after " + count + " were removed (HEAD says " + head.get().seq() + ")");
        }
        return new AuditVerification(true, count, null, null);
    }

    static String eventKey(long seq) {
        return EVENTS + String.format("%020d", seq) + ".json";
    }

    private static long seqOf(String key) {
        String name = key.substring(EVENTS.length(), key.length() - ".json".length());
        return Long.parseLong(name);
    }

    static String hashOf(AuditEvent unsigned) {
        try {
            byte[] canonical = Json.toString(unsigned.withoutHash()).getBytes(StandardCharsets.UTF_8);
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(canonical));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
