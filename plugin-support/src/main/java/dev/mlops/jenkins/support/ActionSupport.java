package dev.mlops.jenkins.support;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Helpers the plugins' build actions share: lenient reads of a parsed JSON document (a missing or
 * mistyped value gives an empty map or list, null or 0) and the display of byte sizes.
 */
public final class ActionSupport {
    private ActionSupport() {
    }

    /** The value as a map, or an empty map if it is not one. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> map(Object o) {
        return o instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    /** The value as a list, or an empty list if it is not one. */
    public static List<?> list(Object o) {
        return o instanceof List<?> l ? l : List.of();
    }

    /** The value's text, or null for null. */
    public static String text(Object o) {
        return o == null ? null : o.toString();
    }

    /** The value as a long, or 0 if it is not a number. */
    public static long number(Object o) {
        return o instanceof Number n ? n.longValue() : 0L;
    }

    /** Bytes for people: "512 B", "1.5 KB", "2.0 GB" (binary units, one decimal). */
    public static String humanSize(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        String[] units = {"KB", "MB", "GB", "TB"};
        double value = bytes;
        int unit = -1;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
    }
}
