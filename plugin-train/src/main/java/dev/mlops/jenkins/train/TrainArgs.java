package dev.mlops.jenkins.train;

import dev.mlops.train.TrainRequest;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The step's arguments as plain serializable values, sent to the agent inside {@link TrainOnAgent}.
 * Param values are already text; {@code label} and {@code features} are among them.
 */
record TrainArgs(String trainer, String command, List<String> data, Map<String, String> params, long seed,
                 List<String> codePaths, boolean force, boolean requireGpu, String gpus, String runsDir,
                 String nvidiaSmi) implements Serializable {

    TrainArgs {
        data = List.copyOf(data);
        // LinkedHashMap, not Map.copyOf: a null value must reach core, which names the parameter
        params = new LinkedHashMap<>(params);
        codePaths = List.copyOf(codePaths);
    }

    TrainRequest toRequest(Path workspace, Map<String, String> env) {
        return TrainRequest.builder().setWorkingDir(workspace).optDatasets(data.stream().map(Path::of).toList())
                .optParams(params).optSeed(seed).optCodePaths(codePaths).optForce(force).optCudaVisibleDevices(gpus)
                .optEnv(env).build();
    }

    private static final long serialVersionUID = 1L;
}
