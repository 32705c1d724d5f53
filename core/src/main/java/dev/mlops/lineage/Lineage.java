package dev.mlops.lineage;

import java.time.Instant;
import java.util.List;

/**
 * Everything needed to trace a model version back to what made it: code (git), data
 * (fingerprints), CI build, training run, user and time.
 */
public record Lineage(GitInfo git, List<DatasetFingerprint> datasets, BuildInfo build, String runId,
                      String user, Instant capturedAt) {
    public Lineage {
        datasets = datasets == null ? List.of() : List.copyOf(datasets);
    }

    public Lineage withRunId(String newRunId) {
        return new Lineage(git, datasets, build, newRunId, user, capturedAt);
    }
}
