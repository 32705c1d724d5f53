package dev.mlops.train;

import dev.mlops.json.Json;
import dev.mlops.lineage.DatasetFingerprint;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The reuse key of a run: SHA-256 over a canonical JSON of the trainer id and version, its config
 * (the command line), the params, the seed, the SHA-256 of each dataset (in order) and the code
 * state of the configured paths ({@link CodeFingerprint}). Two runs with the same key would train
 * the same model from the same inputs.
 */
public final class ReuseKey {
    private ReuseKey() {
    }

    public static String compute(Trainer trainer, TrainRequest request, List<DatasetFingerprint> datasets, Map<String, String> code) {
        Map<String, Object> inputs = new LinkedHashMap<>();
        inputs.put("trainer", trainer.id());
        inputs.put("trainerVersion", trainer.version());
        inputs.put("trainerConfig", new TreeMap<>(trainer.config()));
        inputs.put("params", new TreeMap<>(request.params()));
        inputs.put("seed", request.seed());
        inputs.put("datasets", datasets.stream().map(DatasetFingerprint::sha256).toList());
        inputs.put("code", new TreeMap<>(code));
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Json.toBytes(inputs)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
