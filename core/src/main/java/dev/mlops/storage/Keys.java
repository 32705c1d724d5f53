package dev.mlops.storage;

import java.util.regex.Pattern;

/** Checks that a storage key is a plain relative '/'-path, so no key can escape its store. */
final class Keys {
    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9._@=+-][A-Za-z0-9._@=+ -]*");

    private Keys() {
    }

    static String check(String key) {
        if (key == null || key.isEmpty() || key.startsWith("/") || key.endsWith("/")) {
            throw new IllegalArgumentException("invalid storage key '" + key + "'");
        }
        for (String segment : key.split("/", -1)) {
            if (segment.equals(".") || segment.equals("..") || !SEGMENT.matcher(segment).matches()) {
                throw new IllegalArgumentException("invalid storage key '" + key + "'");
            }
        }
        return key;
    }

    static String checkPrefix(String prefix) {
        if (prefix.isEmpty()) {
            return prefix;
        }
        String trimmed = prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix;
        check(trimmed);
        return prefix;
    }
}
