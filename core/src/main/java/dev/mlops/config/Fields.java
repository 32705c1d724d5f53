package dev.mlops.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Typed reads of a YAML tree that never stop at the first problem: each read returns the value or
 * null, and a wrong type, a value out of range or an unknown key becomes a {@link ConfigProblem}
 * with its path and line.
 */
final class Fields {
    static final String MUST_BE_STRING = "must be a string";
    static final String MUST_BE_NUMBER = "must be a number";
    static final String MUST_BE_INTEGER = "must be a whole number";
    static final String MUST_BE_BOOLEAN = "must be true or false";
    static final String MUST_BE_MAPPING = "must be a mapping of keys (key: value lines)";
    static final String UNKNOWN_KEY = "unknown key";

    private final YamlLocations locations;
    private final List<ConfigProblem> problems = new ArrayList<>();

    Fields(YamlLocations locations) {
        this.locations = locations;
    }

    List<ConfigProblem> problems() {
        return problems;
    }

    void problem(String path, String message) {
        int[] at = locations.find(path);
        problems.add(new ConfigProblem(path, message, at[0], at[1]));
    }

    static String join(String path, String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    static boolean present(JsonNode node, String key) {
        return node != null && node.has(key) && !node.get(key).isNull();
    }

    /** Every key of {@code node} not in {@code known}, with the closest known key suggested. */
    void knownKeys(JsonNode node, String path, List<String> known) {
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!known.contains(key)) {
                problem(join(path, key), unknownKeyMessage(key, known));
            }
        }
    }

    static String unknownKeyMessage(String key, List<String> known) {
        return Suggestions.closest(key, known).map(s -> UNKNOWN_KEY + "; did you mean " + s + "?")
                .orElse(UNKNOWN_KEY + "; known keys here: " + String.join(", ", known));
    }

    /** The mapping under {@code key}, or null when absent or not a mapping (then a problem). */
    JsonNode section(JsonNode parent, String path, String key) {
        if (!present(parent, key)) {
            return null;
        }
        JsonNode v = parent.get(key);
        if (!v.isObject()) {
            problem(join(path, key), MUST_BE_MAPPING);
            return null;
        }
        return v;
    }

    String string(JsonNode parent, String path, String key) {
        if (!present(parent, key)) {
            return null;
        }
        JsonNode v = parent.get(key);
        if (!v.isTextual() && !v.isNumber()) {
            problem(join(path, key), MUST_BE_STRING);
            return null;
        }
        String s = v.asText();
        if (s.isBlank()) {
            problem(join(path, key), "is empty; give a value or remove the key");
            return null;
        }
        return s;
    }

    String choice(JsonNode parent, String path, String key, List<String> choices) {
        String s = string(parent, path, key);
        if (s == null || choices.contains(s)) {
            return s;
        }
        String hint = Suggestions.closest(s, choices).map(c -> "did you mean " + c + "? ").orElse("");
        problem(join(path, key), "'" + s + "' is not one of " + String.join(", ", choices) + "; " + hint + "use one of them");
        return null;
    }

    Boolean bool(JsonNode parent, String path, String key) {
        if (!present(parent, key)) {
            return null;
        }
        JsonNode v = parent.get(key);
        if (!v.isBoolean()) {
            problem(join(path, key), MUST_BE_BOOLEAN);
            return null;
        }
        return v.asBoolean();
    }

    /** A number in [min, max] (or (min, max] when {@code minExclusive}). */
    Double number(JsonNode parent, String path, String key, double min, boolean minExclusive, double max, String example) {
        if (!present(parent, key)) {
            return null;
        }
        JsonNode v = parent.get(key);
        if (!v.isNumber() || !Double.isFinite(v.asDouble())) {
            problem(join(path, key), MUST_BE_NUMBER + (v.isTextual() ? " (it is quoted text '" + v.asText() + "')" : "")
                    + ", e.g. " + example);
            return null;
        }
        double d = v.asDouble();
        boolean below = minExclusive ? d <= min : d < min;
        if (below || d > max) {
            problem(join(path, key), d + " not in " + (minExclusive ? "(" : "[") + fmt(min) + ", " + fmt(max) + "]; use e.g. " + example);
            return null;
        }
        return d;
    }

    Long integer(JsonNode parent, String path, String key, long min, long max, String example) {
        if (!present(parent, key)) {
            return null;
        }
        return integerValue(parent.get(key), join(path, key), min, max, example);
    }

    Long integerValue(JsonNode v, String path, long min, long max, String example) {
        if (!v.isIntegralNumber() || !v.canConvertToLong()) {
            problem(path, MUST_BE_INTEGER + ", e.g. " + example);
            return null;
        }
        long n = v.asLong();
        if (n < min || n > max) {
            problem(path, n + " not in " + min + ".." + max + "; use e.g. " + example);
            return null;
        }
        return n;
    }

    /** A list of non-blank strings; with {@code single}, one string is taken as a list of one. */
    List<String> strings(JsonNode parent, String path, String key, boolean single, String example) {
        if (!present(parent, key)) {
            return null;
        }
        JsonNode v = parent.get(key);
        String at = join(path, key);
        if (single && (v.isTextual() || v.isNumber())) {
            return List.of(v.asText());
        }
        if (!v.isArray()) {
            problem(at, "must be a list" + (single ? " or a single value" : "") + ", e.g. " + example);
            return null;
        }
        List<String> out = new ArrayList<>();
        boolean ok = true;
        for (int i = 0; i < v.size(); i++) {
            JsonNode e = v.get(i);
            if ((!e.isTextual() && !e.isNumber()) || e.asText().isBlank()) {
                problem(at + "[" + i + "]", "must be a non-empty string");
                ok = false;
            } else {
                out.add(e.asText());
            }
        }
        return ok ? List.copyOf(out) : null;
    }

    List<Integer> integers(JsonNode parent, String path, String key, long min, long max, String example) {
        if (!present(parent, key)) {
            return null;
        }
        JsonNode v = parent.get(key);
        String at = join(path, key);
        if (!v.isArray()) {
            problem(at, "must be a list of whole numbers, e.g. " + example);
            return null;
        }
        List<Integer> out = new ArrayList<>();
        boolean ok = true;
        for (int i = 0; i < v.size(); i++) {
            Long n = integerValue(v.get(i), at + "[" + i + "]", min, max, example);
            if (n == null) {
                ok = false;
            } else {
                out.add(n.intValue());
            }
        }
        return ok ? List.copyOf(out) : null;
    }

    private static String fmt(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? String.valueOf((long) d) : String.valueOf(d);
    }
}
