package dev.mlops.storage;

import java.util.Objects;

/** A small document read from a store together with the version tag a conditional write needs. */
public record StoredObject(byte[] content, String etag) {
    public StoredObject {
        Objects.requireNonNull(content, "content");
        Objects.requireNonNull(etag, "etag");
    }
}
