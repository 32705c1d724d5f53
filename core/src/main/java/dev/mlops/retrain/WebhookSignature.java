package dev.mlops.retrain;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HMAC-SHA256 over {@code timestamp + "." + nonce + "." + body} (timestamp in Unix seconds, the raw
 * body bytes), sent as {@code X-Mlops-Signature: sha256=<lower-case hex>}. Binding the timestamp
 * and nonce into the MAC is what makes the staleness and replay checks unforgeable.
 */
public final class WebhookSignature {
    public static final String TIMESTAMP_HEADER = "X-Mlops-Timestamp";
    public static final String NONCE_HEADER = "X-Mlops-Nonce";
    public static final String SIGNATURE_HEADER = "X-Mlops-Signature";
    public static final String PREFIX = "sha256=";
    private static final String ALGORITHM = "HmacSHA256";

    private WebhookSignature() {
    }

    /** The headers that authenticate {@code body}. */
    public record Signed(long timestamp, String nonce, String signature) {
    }

    public static Signed sign(WebhookSecret secret, long timestamp, String nonce, byte[] body) {
        return new Signed(timestamp, nonce, PREFIX + HexFormat.of().formatHex(mac(secret, Long.toString(timestamp), nonce, body)));
    }

    public static String newNonce(SecureRandom random) {
        byte[] bytes = new byte[16];
        random.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    /** Constant-time check of a received {@code sha256=<hex>} header against the expected MAC. */
    public static boolean verify(WebhookSecret secret, String timestamp, String nonce, byte[] body, String header) {
        if (header == null || !header.startsWith(PREFIX)) {
            return false;
        }
        byte[] received;
        try {
            received = HexFormat.of().parseHex(header.substring(PREFIX.length()).toLowerCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException notHex) {
            return false;
        }
        return MessageDigest.isEqual(mac(secret, timestamp, nonce, body), received);
    }

    private static byte[] mac(WebhookSecret secret, String timestamp, String nonce, byte[] body) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(new SecretKeySpec(secret.bytes(), ALGORITHM));
            mac.update((timestamp + "." + nonce + ".").getBytes(StandardCharsets.UTF_8));
            return mac.doFinal(body);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException(ALGORITHM + " unavailable", e);
        }
    }
}
