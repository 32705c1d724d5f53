package dev.mlops.evaluate;

import java.util.List;
import java.util.Objects;

/**
 * One "evaluate against production" request. Built with {@link #builder()}: {@code set*} for
 * required fields, {@code opt*} for optional ones.
 *
 * @param holdout      labelled rows both models are scored on
 * @param candidate    the model under test
 * @param baseline     the production model, or null for a first model
 * @param gate         the gate (default: {@link GateConfig#defaultFor} the holdout's task)
 * @param sliceColumns columns to slice on (default: the holdout's slice columns)
 * @param batchSize    rows per predictor call
 * @param parallelism  threads for scoring and the bootstrap
 */
public record EvaluationRequest(Holdout holdout, ModelInput candidate, ModelInput baseline, GateConfig gate,
                                List<String> sliceColumns, int batchSize, int parallelism) {
    public static final int DEFAULT_BATCH_SIZE = 8192;

    public EvaluationRequest {
        Objects.requireNonNull(holdout, "holdout");
        Objects.requireNonNull(candidate, "candidate");
        gate = gate == null ? GateConfig.defaultFor(holdout.schema().task()) : gate;
        sliceColumns = sliceColumns == null ? holdout.sliceColumns() : List.copyOf(sliceColumns);
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be at least 1, got " + batchSize);
        }
        if (parallelism < 1) {
            throw new IllegalArgumentException("parallelism must be at least 1, got " + parallelism);
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    public static final class Builder {
        private Holdout holdout;
        private ModelInput candidate;
        private ModelInput baseline;
        private GateConfig gate;
        private List<String> sliceColumns;
        private int batchSize = DEFAULT_BATCH_SIZE;
        private int parallelism = Runtime.getRuntime().availableProcessors();

        private Builder() {
        }

        public Builder setHoldout(Holdout value) {
            this.holdout = value;
            return this;
        }

        public Builder setCandidate(ModelInput value) {
            this.candidate = value;
            return this;
        }

        public Builder optBaseline(ModelInput value) {
            this.baseline = value;
            return this;
        }

        public Builder optGate(GateConfig value) {
            this.gate = value;
            return this;
        }

        public Builder optSliceColumns(List<String> value) {
            this.sliceColumns = value;
            return this;
        }

        public Builder optBatchSize(int value) {
            this.batchSize = value;
            return this;
        }

        public Builder optParallelism(int value) {
            this.parallelism = value;
            return this;
        }

        public EvaluationRequest build() {
            if (holdout == null || candidate == null) {
                throw new IllegalStateException("holdout and candidate are required: call setHoldout and setCandidate");
            }
            return new EvaluationRequest(holdout, candidate, baseline, gate, sliceColumns, batchSize, parallelism);
        }
    }
}
