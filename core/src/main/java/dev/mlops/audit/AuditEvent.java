package dev.mlops.audit;

import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * One entry of the hash-chained audit log: who did what to which target, when, why, from which
 * build. {@code hash} is SHA-256 over this event's canonical JSON (without {@code hash}), which
 * includes {@code prevHash}; changing or removing any earlier event breaks every later link.
 */
public record AuditEvent(int schema, long seq, Instant at, String actor, String action, String target,
                         String reason, String build, Map<String, String> details, String prevHash, String hash) {
    public static final int SCHEMA = 1;

    public AuditEvent {
        details = details == null ? Map.of() : new TreeMap<>(details);
    }

    AuditEvent withoutHash() {
        return new AuditEvent(schema, seq, at, actor, action, target, reason, build, details, prevHash, null);
    }

    AuditEvent withHash(String newHash) {
        return new AuditEvent(schema, seq, at, actor, action, target, reason, build, details, prevHash, newHash);
    }
}
