package dev.mlops.registry;

import java.util.List;

/** A version together with its current state in the model: aliases pointing at it, archived. */
public record VersionView(ModelVersion version, List<String> aliases, boolean archived) {
    public VersionView {
        aliases = List.copyOf(aliases);
    }
}
