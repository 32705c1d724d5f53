package dev.mlops.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Where each key of a YAML document is (line and column), by path ({@code gate.metrics[1].name}),
 * and the keys given twice (Jackson's tree silently keeps the last one).
 */
final class YamlLocations {
    private final Map<String, int[]> positions = new HashMap<>();
    private final List<ConfigProblem> duplicates = new ArrayList<>();

    private YamlLocations() {
    }

    /** Reads the whole document; a syntax error surfaces as the parser's {@link IOException}. */
    static YamlLocations of(YAMLFactory factory, String text) throws IOException {
        YamlLocations locations = new YamlLocations();
        try (JsonParser parser = factory.createParser(text)) {
            if (parser.nextToken() != null) {
                locations.value(parser, "");
            }
        }
        return locations;
    }

    private void value(JsonParser p, String path) throws IOException {
        JsonToken token = p.currentToken();
        positions.putIfAbsent(path, position(p.currentTokenLocation()));
        if (token == JsonToken.START_OBJECT) {
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                String child = path.isEmpty() ? name : path + "." + name;
                int[] at = position(p.currentTokenLocation());
                int[] first = positions.get(child);
                if (first != null) {
                    duplicates.add(new ConfigProblem(child, "given twice (first at line " + first[0] + "); keep one", at[0], at[1]));
                }
                positions.put(child, at);
                p.nextToken();
                value(p, child);
            }
        } else if (token == JsonToken.START_ARRAY) {
            int i = 0;
            while (p.nextToken() != JsonToken.END_ARRAY) {
                value(p, path + "[" + i++ + "]");
            }
        }
    }

    private static int[] position(JsonLocation location) {
        return new int[] {location.getLineNr(), location.getColumnNr()};
    }

    List<ConfigProblem> duplicates() {
        return duplicates;
    }

    /** Line and column of {@code path}, or of its closest ancestor that is in the file; {0, 0} if none. */
    int[] find(String path) {
        String p = path;
        while (p != null && !p.isEmpty()) {
            int[] at = positions.get(p);
            if (at != null) {
                return at;
            }
            p = parent(p);
        }
        return new int[] {0, 0};
    }

    private static String parent(String path) {
        int dot = path.lastIndexOf('.');
        int bracket = path.lastIndexOf('[');
        int cut = Math.max(dot, bracket);
        return cut <= 0 ? null : path.substring(0, cut);
    }
}
