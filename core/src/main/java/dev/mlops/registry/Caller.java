package dev.mlops.registry;

import dev.mlops.lineage.BuildInfo;
import dev.mlops.lineage.LineageCollector;
import java.util.Map;

/** Who performs a mutation and from which build; recorded in the audit log. */
public record Caller(String user, BuildInfo build) {
    public Caller {
        user = user == null || user.isBlank() ? "unknown" : user;
        build = build == null ? BuildInfo.LOCAL : build;
    }

    public static Caller fromEnvironment(Map<String, String> env) {
        return new Caller(LineageCollector.user(env), LineageCollector.build(env));
    }
}
