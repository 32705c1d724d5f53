package dev.mlops.train;

import dev.mlops.error.InvalidInputException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One training run to perform. Built with {@link #builder()}: {@code set*} is required,
 * {@code opt*} optional.
 *
 * @param workingDir         the workspace; relative paths resolve against it and a command runs in it
 * @param datasets           data files (the first is the training CSV of djl-mlp); fingerprinted into the lineage
 * @param params             trainer parameters, e.g. epochs=20 (sorted by name)
 * @param seed               random seed, given to the trainer (MLOPS_SEED for a command)
 * @param codePaths          paths whose git tree ids go into the reuse key; empty means the trainer's default
 * @param force              train even when an earlier run with the same reuse key succeeded
 * @param cudaVisibleDevices CUDA_VISIBLE_DEVICES for a command, or null to inherit
 * @param env                the environment (CI variables for lineage; added to a command's environment)
 */
public record TrainRequest(Path workingDir, List<Path> datasets, Map<String, String> params, long seed,
                           List<String> codePaths, boolean force, String cudaVisibleDevices, Map<String, String> env) {
    public static final long DEFAULT_SEED = 42;

    public TrainRequest {
        Objects.requireNonNull(workingDir, "workingDir");
        datasets = datasets == null ? List.of() : List.copyOf(datasets);
        params = params == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(params));
        codePaths = codePaths == null ? List.of() : List.copyOf(codePaths);
        env = env == null ? Map.of() : Map.copyOf(env);
        params.forEach((name, value) -> {
            if (name.isBlank()) {
                throw new InvalidInputException("params: a parameter has an empty name; pass --param name=value");
            }
            if (value == null) {
                throw new InvalidInputException("params." + name + ": no value; pass --param " + name + "=VALUE");
            }
        });
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The dataset resolved against the working directory. */
    public Path resolve(Path path) {
        return workingDir.resolve(path).normalize();
    }

    public static final class Builder {
        private Path workingDir;
        private final List<Path> datasets = new ArrayList<>();
        private final Map<String, String> params = new LinkedHashMap<>();
        private long seed = DEFAULT_SEED;
        private final List<String> codePaths = new ArrayList<>();
        private boolean force;
        private String cudaVisibleDevices;
        private Map<String, String> env = Map.of();

        private Builder() {
        }

        public Builder setWorkingDir(Path workingDir) {
            this.workingDir = workingDir;
            return this;
        }

        public Builder optDataset(Path dataset) {
            datasets.add(dataset);
            return this;
        }

        public Builder optDatasets(List<Path> more) {
            datasets.addAll(more);
            return this;
        }

        public Builder optParam(String name, String value) {
            params.put(name, value);
            return this;
        }

        public Builder optParams(Map<String, String> more) {
            params.putAll(more);
            return this;
        }

        public Builder optSeed(long value) {
            seed = value;
            return this;
        }

        public Builder optCodePath(String path) {
            codePaths.add(path);
            return this;
        }

        public Builder optCodePaths(List<String> paths) {
            codePaths.addAll(paths);
            return this;
        }

        public Builder optForce(boolean value) {
            force = value;
            return this;
        }

        public Builder optCudaVisibleDevices(String devices) {
            cudaVisibleDevices = devices;
            return this;
        }

        public Builder optEnv(Map<String, String> value) {
            env = value;
            return this;
        }

        public TrainRequest build() {
            if (workingDir == null) {
                throw new InvalidInputException("workingDir: not set; call setWorkingDir(workspace)");
            }
            return new TrainRequest(workingDir, datasets, params, seed, codePaths, force, cudaVisibleDevices, env);
        }
    }
}
