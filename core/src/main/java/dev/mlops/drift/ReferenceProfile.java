package dev.mlops.drift;

import dev.mlops.error.IntegrityException;
import dev.mlops.json.Json;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What the training data looked like, computed once (at registration) in one streaming pass and stored
 * with the model version as {@value #FILE}; drift compares the live traffic against it.
 *
 * @param source      the data file it was computed from
 * @param rows        data rows read
 * @param seed        seed of the reservoir samples
 * @param sampleSize  reservoir capacity per numeric column
 * @param features    one profile per feature column, in the model's input order when known
 * @param prediction  the model's predictions on the same rows (null when the model could not be scored)
 * @param classes     class labels in the model's output order (classification), so logged outputs map to labels
 */
public record ReferenceProfile(String schema, String source, long rows, long seed, int sampleSize, Instant createdAt,
                               List<ColumnProfile> features, ColumnProfile prediction, List<String> classes) {
    public static final String SCHEMA = "mlops.reference-profile/v1";
    public static final String FILE = "reference-profile.json";

    public ReferenceProfile {
        schema = schema == null ? SCHEMA : schema;
        features = features == null ? List.of() : List.copyOf(features);
        classes = classes == null ? null : List.copyOf(classes);
    }

    public Optional<ColumnProfile> feature(String name) {
        return features.stream().filter(f -> f.name().equals(name)).findFirst();
    }

    public byte[] toJson() {
        return Json.toBytes(this);
    }

    public static ReferenceProfile fromJson(byte[] json, String origin) {
        ReferenceProfile profile;
        try {
            profile = Json.fromBytes(json, ReferenceProfile.class);
        } catch (RuntimeException e) {
            throw new IntegrityException("reference profile " + origin + " is not valid JSON (" + e.getMessage()
                    + "); recompute it with mlops register --reference-data CSV");
        }
        if (!SCHEMA.equals(profile.schema())) {
            throw new IntegrityException("reference profile " + origin + " has schema " + profile.schema() + ", expected " + SCHEMA
                    + "; recompute it with this version of mlops");
        }
        return profile;
    }
}
