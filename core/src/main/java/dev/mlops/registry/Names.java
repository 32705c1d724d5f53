package dev.mlops.registry;

import dev.mlops.error.InvalidInputException;
import java.util.regex.Pattern;

/** Validation of user-chosen names; they become storage keys, so nothing may escape a folder. */
public final class Names {
    public static final int MAX_MODEL_NAME = 128;
    private static final Pattern MODEL = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]*");
    private static final Pattern ALIAS = Pattern.compile("[a-z][a-z0-9_-]{0,62}");
    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9_.:/-]{1,128}");

    private Names() {
    }

    public static String model(String name) {
        if (name == null || name.isEmpty()) {
            throw new InvalidInputException("model: name is empty; use letters, digits, '.', '_' or '-', e.g. churn-classifier");
        }
        if (name.length() > MAX_MODEL_NAME) {
            throw new InvalidInputException("model: name is " + name.length() + " characters long; use at most " + MAX_MODEL_NAME);
        }
        if (name.contains("/") || name.contains("\\") || name.contains("..")) {
            throw new InvalidInputException("model: '" + name + "' contains a path separator or '..'; use letters, digits, '.', '_' or '-'");
        }
        if (!MODEL.matcher(name).matches()) {
            throw new InvalidInputException("model: '" + name + "' is not a valid name; start with a letter or digit and use only letters, digits, '.', '_' or '-'");
        }
        return name;
    }

    public static String alias(String alias) {
        if (alias == null || !ALIAS.matcher(alias).matches()) {
            throw new InvalidInputException("alias: '" + alias + "' is not a valid alias; use lower-case letters, digits, '_' or '-', starting with a letter (e.g. production)");
        }
        return alias;
    }

    /** Tag, param and metric keys. */
    public static String key(String field, String key) {
        if (key == null || !KEY.matcher(key).matches()) {
            throw new InvalidInputException(field + ": key '" + key + "' is not valid; use 1-128 letters, digits or _.:/-");
        }
        return key;
    }
}
