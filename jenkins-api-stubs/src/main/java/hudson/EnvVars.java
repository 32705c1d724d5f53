package hudson;

import hudson.remoting.VirtualChannel;
import java.io.File;
import java.io.IOException;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * STUB of jenkins-core {@code hudson.EnvVars}: a case-insensitive, case-preserving map of
 * environment variables with working {@link #override} ({@code PATH+XYZ} prepends),
 * {@link #overrideAll} and {@link #expand} ({@code $VAR} and {@code ${VAR}}; unknown variables are
 * left as written). Differences: no platform tracking (the local path separator is used),
 * {@code overrideExpandingAll} and {@code masterEnvVars} are omitted, {@link #getRemote} throws.
 */
public class EnvVars extends java.util.TreeMap<String, String> {
    private static final Pattern MACRO = Pattern.compile("\\$\\{([A-Za-z0-9_.]+)}|\\$([A-Za-z0-9_]+)");

    public EnvVars() {
        super(String.CASE_INSENSITIVE_ORDER);
    }

    public EnvVars(Map<String, String> m) {
        this();
        putAll(m);
    }

    public EnvVars(EnvVars m) {
        this((Map<String, String>) m);
    }

    /** From {@code "key", "value", "key", "value", ...}. */
    public EnvVars(String... keyValuePairs) {
        this();
        if (keyValuePairs.length % 2 != 0) {
            throw new IllegalArgumentException(java.util.Arrays.asList(keyValuePairs).toString());
        }
        for (int i = 0; i < keyValuePairs.length; i += 2) {
            put(keyValuePairs[i], keyValuePairs[i + 1]);
        }
    }

    /** Sets {@code key}; an empty or null value removes it; {@code PATH+XYZ} prepends to PATH. */
    public void override(String key, String value) {
        if (value == null || value.isEmpty()) {
            remove(key);
            return;
        }
        int plus = key.indexOf('+');
        if (plus > 0) {
            String realKey = key.substring(0, plus);
            String current = get(realKey);
            put(realKey, current == null ? value : value + File.pathSeparatorChar + current);
            return;
        }
        put(key, value);
    }

    public EnvVars overrideAll(Map<String, String> all) {
        all.forEach(this::override);
        return this;
    }

    public String get(String key, String defaultValue) {
        String v = get(key);
        return v == null ? defaultValue : v;
    }

    @Override
    public String put(String key, String value) {
        if (value == null) {
            throw new IllegalArgumentException("Null value not allowed as an environment variable: " + key);
        }
        return super.put(key, value);
    }

    public void putIfNotNull(String key, String value) {
        if (value != null) {
            put(key, value);
        }
    }

    /** Takes {@code "a=b"} and adds it. */
    public void addLine(String line) {
        int sep = line.indexOf('=');
        if (sep > 0) {
            put(line.substring(0, sep), line.substring(sep + 1));
        }
    }

    /** Expands {@code $VAR} and {@code ${VAR}} from this map; unknown variables stay as written. */
    public String expand(String s) {
        if (s == null) {
            return null;
        }
        Matcher m = MACRO.matcher(s);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(1) != null ? m.group(1) : m.group(2);
            String value = get(name);
            m.appendReplacement(out, Matcher.quoteReplacement(value != null ? value : m.group()));
        }
        m.appendTail(out);
        return out.toString();
    }

    public static EnvVars getRemote(VirtualChannel channel) throws IOException, InterruptedException {
        throw new UnsupportedOperationException("stub");
    }

    private static final long serialVersionUID = 1L;
}
