package dev.mlops.registry;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.mlops.json.Json;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The machine-readable form of a version, schema {@value #SCHEMA}: what `mlops ... --json` prints
 * and what the Jenkins steps return. Fields are only ever added within a schema version.
 */
public final class VersionDocument {
    public static final String SCHEMA = "mlops.version/v1";

    private VersionDocument() {
    }

    public static Map<String, Object> of(VersionView view, String registry) {
        ModelVersion v = view.version();
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("schema", SCHEMA);
        doc.put("model", v.model());
        doc.put("version", v.version());
        doc.put("ref", v.ref());
        doc.put("format", v.format());
        if (v.description() != null) {
            doc.put("description", v.description());
        }
        doc.put("aliases", view.aliases());
        doc.put("archived", view.archived());
        doc.put("createdAt", v.createdAt().toString());
        doc.put("createdBy", v.createdBy());
        doc.put("files", Json.mapper().convertValue(v.files(), new TypeReference<List<Map<String, Object>>>() { }));
        doc.put("metrics", v.metrics());
        doc.put("params", v.params());
        doc.put("tags", v.tags());
        if (v.lineage() != null) {
            doc.put("lineage", Json.mapper().convertValue(v.lineage(), new TypeReference<Map<String, Object>>() { }));
        }
        doc.put("registry", registry);
        return doc;
    }
}
