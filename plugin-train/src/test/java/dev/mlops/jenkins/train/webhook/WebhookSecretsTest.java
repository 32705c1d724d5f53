package dev.mlops.jenkins.train.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mlops.error.InvalidInputException;
import dev.mlops.retrain.WebhookSecret;
import java.util.List;
import org.jenkinsci.plugins.plaincredentials.StringCredentials;
import org.junit.jupiter.api.Test;

class WebhookSecretsTest {
    private static final String KEY = "A-very-secret-webhook-key-0123456789";
    private final List<StringCredentials> store = List.of(new TestStringCredentials("other", "x".repeat(32)),
            new TestStringCredentials("mlops-webhook-secret", KEY), new TestStringCredentials("empty", ""));

    @Test
    void findsTheSecretTextCredentialById() {
        WebhookSecret secret = WebhookSecrets.fromCredentials(" mlops-webhook-secret ", store);
        assertEquals(WebhookSecret.of(KEY, "expected"), secret);
        assertEquals("credentials mlops-webhook-secret", secret.source());
        assertFalse(secret.toString().contains(KEY));
    }

    @Test
    void unknownIdNamesTheIdAndTheFix() {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> WebhookSecrets.fromCredentials("typo", store));
        assertEquals(String.format(WebhookSecrets.NOT_FOUND, "typo"), e.getMessage());
    }

    @Test
    void unsetIdSaysWhereToSetIt() {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> WebhookSecrets.fromCredentials(" ", store));
        assertEquals(WebhookSecrets.NOT_CONFIGURED, e.getMessage());
    }

    @Test
    void emptySecretIsRefusedWithoutShowingAnything() {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> WebhookSecrets.fromCredentials("empty", store));
        assertTrue(e.getMessage().contains("credentials empty: empty"), e.getMessage());
    }
}
