package dev.mlops.serve;

import dev.mlops.error.InvalidInputException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Map;
import java.util.Optional;

/**
 * The bearer token of the admin endpoints. Only its SHA-256 is kept; a presented token is hashed
 * too and compared with {@link MessageDigest#isEqual} (constant time, and equal lengths whatever
 * was sent, so neither content nor length leaks through timing). Never printed.
 */
public final class AdminToken {
    public static final String ENV = "MLOPS_ADMIN_TOKEN";
    public static final int MIN_LENGTH = 16;
    private static final String BEARER = "Bearer ";

    private final byte[] digest;

    private AdminToken(byte[] digest) {
        this.digest = digest;
    }

    public static AdminToken of(String token) {
        if (token == null || token.strip().length() < MIN_LENGTH) {
            throw new InvalidInputException(ENV + ": the admin token is " + (token == null ? "missing" : "shorter than " + MIN_LENGTH
                    + " characters") + "; set a random one, e.g. export " + ENV + "=$(openssl rand -hex 24)");
        }
        return new AdminToken(sha256(token.strip()));
    }

    /** The token from {@value #ENV}, or empty when it is not set (admin endpoints then stay off). */
    public static Optional<AdminToken> fromEnv(Map<String, String> env) {
        String token = env.get(ENV);
        return token == null || token.isEmpty() ? Optional.empty() : Optional.of(of(token));
    }

    /** Whether an {@code Authorization} header value carries this token as {@code Bearer <token>}. */
    public boolean matches(String authorization) {
        String presented = authorization != null && authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())
                ? authorization.substring(BEARER.length()).strip() : "";
        boolean equal = MessageDigest.isEqual(sha256(presented), digest);
        return equal && !presented.isEmpty();
    }

    private static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return "AdminToken[redacted]";
    }
}
