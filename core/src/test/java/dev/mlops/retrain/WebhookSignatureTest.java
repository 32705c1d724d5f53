package dev.mlops.retrain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mlops.error.InvalidInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WebhookSignatureTest {
    private static final byte[] BODY = "{\"a\":1}".getBytes(StandardCharsets.UTF_8);
    private static final String NONCE = "0123456789abcdef0123456789abcdef";

    @Test
    void matchesOpensslOnTheDocumentedRecipe() {
        // printf '1700000000.0123456789abcdef0123456789abcdef.{"a":1}' | openssl dgst -sha256 -hmac 'A-very-secret-webhook-key-0123456789'
        WebhookSignature.Signed signed = WebhookSignature.sign(RetrainFixtures.secret(), 1_700_000_000L, NONCE, BODY);
        assertEquals("sha256=5823077f1e079eb6d57fe21c2b439c9313df7ff4d2fdf260890b8c83e2286337", signed.signature());
        assertTrue(WebhookSignature.verify(RetrainFixtures.secret(), "1700000000", NONCE, BODY, signed.signature()));
        assertTrue(WebhookSignature.verify(RetrainFixtures.secret(), "1700000000", NONCE, BODY, signed.signature().toUpperCase().replace("SHA256=", "sha256=")));
    }

    @Test
    void rejectsTamperedBodyTimestampNonceAndWrongSecret() {
        String signature = WebhookSignature.sign(RetrainFixtures.secret(), 1_700_000_000L, NONCE, BODY).signature();
        WebhookSecret other = WebhookSecret.of("another-secret-of-enough-length", "test");
        assertFalse(WebhookSignature.verify(RetrainFixtures.secret(), "1700000000", NONCE, "{\"a\":2}".getBytes(StandardCharsets.UTF_8), signature));
        assertFalse(WebhookSignature.verify(RetrainFixtures.secret(), "1700000001", NONCE, BODY, signature));
        assertFalse(WebhookSignature.verify(RetrainFixtures.secret(), "1700000000", NONCE.replace('0', '1'), BODY, signature));
        assertFalse(WebhookSignature.verify(other, "1700000000", NONCE, BODY, signature));
        assertFalse(WebhookSignature.verify(RetrainFixtures.secret(), "1700000000", NONCE, BODY, signature.substring("sha256=".length())));
        assertFalse(WebhookSignature.verify(RetrainFixtures.secret(), "1700000000", NONCE, BODY, "sha256=not-hex"));
        assertFalse(WebhookSignature.verify(RetrainFixtures.secret(), "1700000000", NONCE, BODY, null));
    }

    @Test
    void secretNeverShowsInTextOrMessages(@TempDir Path dir) throws Exception {
        WebhookSecret secret = RetrainFixtures.secret();
        assertFalse(secret.toString().contains(RetrainFixtures.SECRET));
        assertEquals("token ****", secret.redact("token " + RetrainFixtures.SECRET));
        InvalidInputException unset = assertThrows(InvalidInputException.class, () -> WebhookSecret.fromEnv("MLOPS_WEBHOOK_SECRET", Map.of()));
        assertTrue(unset.getMessage().contains("MLOPS_WEBHOOK_SECRET is not set"), unset.getMessage());
        InvalidInputException shortOne = assertThrows(InvalidInputException.class, () -> WebhookSecret.fromEnv("S", Map.of("S", "tiny-secret")));
        assertFalse(shortOne.getMessage().contains("tiny-secret"), shortOne.getMessage());
        Path file = dir.resolve("secret");
        Files.writeString(file, RetrainFixtures.SECRET + "\n");
        assertEquals(secret, WebhookSecret.fromFile(file));
    }
}
