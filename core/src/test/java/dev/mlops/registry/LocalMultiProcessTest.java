package dev.mlops.registry;

import java.util.Map;
import java.util.UUID;

class LocalMultiProcessTest extends MultiProcessContract {
    @Override
    protected String newRegistryUri() {
        return temp.resolve("registry-" + UUID.randomUUID()).toUri().toString();
    }

    @Override
    protected Map<String, String> workerEnv() {
        return Map.of();
    }
}
