package dev.mlops.maturity;

import java.time.Instant;
import java.util.List;

/**
 * Where a repository stands on the maturity model (schema {@value #SCHEMA}): the level per
 * dimension with the evidence found and the next step, and the overall level (the lowest).
 *
 * @param next the next step of the lowest dimension, or null at level 4 everywhere
 */
public record MaturityReport(String schema, String repository, Instant generatedAt, int level, List<DimensionResult> dimensions,
                             NextStep next, Evidence evidence) {
    public static final String SCHEMA = "mlops.maturity/v1";

    public MaturityReport {
        dimensions = List.copyOf(dimensions);
    }

    /**
     * One criterion of a level: met or not, what was found, and what to do when not met.
     *
     * @param level the level this criterion belongs to (2..4)
     */
    public record Criterion(int level, String name, boolean met, List<String> evidence, String fix) {
        public Criterion {
            evidence = List.copyOf(evidence);
        }
    }

    /** A dimension's level: the highest level whose criteria, and every lower level's, are met. */
    public record DimensionResult(String id, String name, int level, List<Criterion> criteria, String next) {
        public DimensionResult {
            criteria = List.copyOf(criteria);
        }
    }

    /** "Level 2 → 3: add `gate:` to mlops.yaml; see docs/levels/level3.md". */
    public record NextStep(String dimension, int from, int to, String step) {
    }

    public DimensionResult dimension(Dimension d) {
        return dimensions.stream().filter(r -> r.id().equals(d.id())).findFirst().orElseThrow();
    }
}
