package dev.mlops.registry;

import java.time.Instant;

/** Where an alias points now, and who put it there. */
public record AliasPointer(int version, Instant setAt, String setBy, String reason) {
}
