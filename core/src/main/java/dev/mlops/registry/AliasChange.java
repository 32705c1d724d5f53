package dev.mlops.registry;

import java.time.Instant;

/** One move of an alias; {@code fromVersion} null means created, {@code toVersion} null means deleted. */
public record AliasChange(String alias, Integer fromVersion, Integer toVersion, Instant at, String by,
                          String reason, String build) {
}
