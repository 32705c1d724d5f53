package dev.mlops.audit;

import java.util.Map;

/** What a caller wants recorded; the log adds sequence, time and chain. */
public record AuditRecord(String actor, String action, String target, String reason, String build,
                          Map<String, String> details) {
    public AuditRecord {
        details = details == null ? Map.of() : Map.copyOf(details);
    }
}
