package dev.mlops.retrain;

import dev.mlops.error.InvalidInputException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

/**
 * A shared secret (HMAC key or API token). It says where it came from but never what it is:
 * {@link #toString()} and every message are redacted.
 */
public final class WebhookSecret {
    public static final int MIN_LENGTH = 16;
    private final byte[] value;
    private final String source;

    private WebhookSecret(byte[] value, String source) {
        this.value = value;
        this.source = source;
    }

    /** A secret held by a credentials store (Jenkins); {@code source} names it, e.g. the credentials id. */
    public static WebhookSecret of(String value, String source) {
        if (value == null || value.isEmpty()) {
            throw new InvalidInputException("secret " + source + ": empty; store a random value of at least " + MIN_LENGTH
                    + " characters (e.g. `openssl rand -hex 32`)");
        }
        return new WebhookSecret(value.getBytes(StandardCharsets.UTF_8), source);
    }

    public static WebhookSecret fromEnv(String variable, Map<String, String> env) {
        if (variable == null || variable.isBlank()) {
            throw new InvalidInputException("--secret-env: no variable named; name the environment variable that holds the secret, e.g. MLOPS_WEBHOOK_SECRET");
        }
        String value = env.get(variable);
        if (value == null || value.isEmpty()) {
            throw new InvalidInputException("secret: environment variable " + variable + " is not set; export it (Jenkins: withCredentials) "
                    + "with a random value of at least " + MIN_LENGTH + " characters");
        }
        return requireLength(new WebhookSecret(value.getBytes(StandardCharsets.UTF_8), "env " + variable));
    }

    /** The first line of a file (a mounted secret), trailing newline ignored. */
    public static WebhookSecret fromFile(Path file) {
        try {
            String content = Files.readString(file, StandardCharsets.UTF_8).strip();
            if (content.isEmpty()) {
                throw new InvalidInputException("secret file " + file + ": empty; write the secret into it");
            }
            return requireLength(new WebhookSecret(content.getBytes(StandardCharsets.UTF_8), "file " + file));
        } catch (IOException e) {
            throw new InvalidInputException("secret file " + file + ": cannot read (" + e.getClass().getSimpleName() + "); check the path and permissions");
        }
    }

    private static WebhookSecret requireLength(WebhookSecret secret) {
        if (secret.value.length < MIN_LENGTH) {
            throw new InvalidInputException("secret " + secret.source + ": " + secret.value.length + " bytes is too short; use at least "
                    + MIN_LENGTH + " (e.g. `openssl rand -hex 32`)");
        }
        return secret;
    }

    byte[] bytes() {
        return value.clone();
    }

    /** For HTTP basic authentication only. */
    String asString() {
        return new String(value, StandardCharsets.UTF_8);
    }

    /** Removes the secret from a text that came from elsewhere (a server's error body). */
    public String redact(String text) {
        if (text == null) {
            return null;
        }
        String plain = asString();
        return plain.isEmpty() ? text : text.replace(plain, "****");
    }

    public String source() {
        return source;
    }

    @Override
    public String toString() {
        return "WebhookSecret[" + source + ", redacted]";
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof WebhookSecret s && java.security.MessageDigest.isEqual(value, s.value);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(new byte[] {(byte) value.length});
    }
}
