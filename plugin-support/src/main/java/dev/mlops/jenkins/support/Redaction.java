package dev.mlops.jenkins.support;

import java.util.Map;
import java.util.regex.Pattern;

/**
 * Last line of defence before text reaches the build log: replaces the values of secret-looking
 * environment variables (keys, tokens, passwords, connection strings, SAS) with {@code ****}.
 * Core messages are written never to contain secrets; this guards against one slipping through,
 * for example inside a storage client's exception text.
 */
public final class Redaction {
    public static final String MASK = "****";
    private static final Pattern SECRET_NAME = Pattern.compile(
            "(?i).*(SECRET|TOKEN|PASSWORD|PASSWD|CONNECTION_STRING|ACCOUNT_KEY|ACCESS_KEY|API_KEY|SAS|CREDENTIAL).*");
    private static final int MIN_SECRET_LENGTH = 6;

    private Redaction() {
    }

    public static String redact(String text, Map<String, String> env) {
        if (text == null || env == null) {
            return text;
        }
        String result = text;
        for (Map.Entry<String, String> e : env.entrySet()) {
            String value = e.getValue();
            if (value != null && value.length() >= MIN_SECRET_LENGTH && SECRET_NAME.matcher(e.getKey()).matches()) {
                result = result.replace(value, MASK);
            }
        }
        return result;
    }
}
