package dev.mlops.cli;

import dev.mlops.error.InvalidInputException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Parses repeated {@code key=value} options, naming the option in errors. */
final class KeyValues {
    private KeyValues() {
    }

    static Map<String, String> parse(String option, List<String> pairs) {
        Map<String, String> map = new LinkedHashMap<>();
        if (pairs == null) {
            return map;
        }
        for (String pair : pairs) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new InvalidInputException(option + ": '" + pair + "' is not KEY=VALUE; e.g. " + option + " accuracy=0.93");
            }
            String key = pair.substring(0, eq).trim();
            if (map.put(key, pair.substring(eq + 1)) != null) {
                throw new InvalidInputException(option + ": '" + key + "' is given twice; give each key once");
            }
        }
        return map;
    }
}
