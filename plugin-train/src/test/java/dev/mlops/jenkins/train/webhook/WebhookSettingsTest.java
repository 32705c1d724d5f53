package dev.mlops.jenkins.train.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mlops.error.InvalidInputException;
import java.io.InputStream;
import java.util.List;
import java.util.Set;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;

class WebhookSettingsTest {

    @Test
    void allowListTakesFullNamesSeparatedByLinesCommasOrSpaces() {
        assertEquals(List.of("churn-retrain", "team/churn-retrain", "b"),
                List.copyOf(WebhookSettings.parseJobs(" churn-retrain\n/team/churn-retrain/ , b\n\nb")));
        assertTrue(WebhookSettings.parseJobs(null).isEmpty());
    }

    @Test
    void badNumbersAreAllReportedByField() {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> new WebhookSettings("id", Set.of(), -1, -2, 0, null));
        assertTrue(e.getMessage().contains("cooldownMinutes: -1"), e.getMessage());
        assertTrue(e.getMessage().contains("maxPerDay: -2"), e.getMessage());
        assertTrue(e.getMessage().contains("maxSkewSeconds: 0"), e.getMessage());
    }

    @Test
    void configurationDefaultsAllowNoJobAndBindTheView() throws Exception {
        MlopsWebhookConfiguration config = new MlopsWebhookConfiguration();
        assertTrue(config.settings().allowedJobs().isEmpty());
        assertEquals(300, config.settings().maxSkewSeconds());
        config.setAllowedJobs("churn-retrain");
        config.setSecretCredentialsId("  mlops-webhook-secret ");
        assertEquals(Set.of("churn-retrain"), config.settings().allowedJobs());
        assertEquals("mlops-webhook-secret", config.settings().secretCredentialsId());

        try (InputStream jelly = MlopsWebhookConfiguration.class.getResourceAsStream("MlopsWebhookConfiguration/config.jelly")) {
            String text = new String(jelly.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(new java.io.ByteArrayInputStream(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            for (String field : List.of("secretCredentialsId", "allowedJobs", "cooldownMinutes", "maxPerDay", "maxSkewSeconds", "registry")) {
                assertTrue(text.contains("field=\"" + field + "\""), field);
            }
        }
    }
}
