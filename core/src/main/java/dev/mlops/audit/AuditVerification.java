package dev.mlops.audit;

/** Result of checking the chain: how many events were checked and the first problem found. */
public record AuditVerification(boolean intact, long events, Long firstBadSeq, String problem) {
}
