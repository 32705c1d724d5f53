package dev.mlops.jenkins.register;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mlops.jenkins.support.Redaction;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RedactionTest {
    @Test
    void masksValuesOfSecretLookingVariables() {
        Map<String, String> env = Map.of(
                "AZURE_STORAGE_CONNECTION_STRING", "AccountKey=abcdef123456",
                "AZURE_STORAGE_SAS_TOKEN", "sv=2024&sig=zzzzzz",
                "MLOPS_REGISTRY", "azblob://models/prod");
        String message = "cannot open azblob://models/prod with AccountKey=abcdef123456 / sv=2024&sig=zzzzzz";

        assertEquals("cannot open azblob://models/prod with **** / ****", Redaction.redact(message, env));
    }

    @Test
    void leavesShortOrOrdinaryValuesAlone() {
        Map<String, String> env = Map.of("API_KEY", "abc", "JOB_NAME", "train-model");
        assertEquals("train-model abc", Redaction.redact("train-model abc", env));
    }
}
