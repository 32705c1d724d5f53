package dev.mlops.jenkins.train.webhook;

import com.cloudbees.plugins.credentials.CredentialsMatchers;
import dev.mlops.error.InvalidInputException;
import dev.mlops.retrain.WebhookSecret;
import java.util.List;
import org.jenkinsci.plugins.plaincredentials.StringCredentials;

/** The webhook's HMAC key from a Jenkins "Secret text" credential; messages name the id, never the value. */
public final class WebhookSecrets {
    static final String NOT_CONFIGURED = "secret_credentials_id: not set; in Manage Jenkins » System » MLOps retrain webhook, "
            + "name the Secret text credential that holds the HMAC secret";
    static final String NOT_FOUND = "secret_credentials_id: no Secret text credential with id '%s' in the global credentials; "
            + "add one (kind \"Secret text\", value from `openssl rand -hex 32`) or fix the id";

    private WebhookSecrets() {
    }

    /** @param available the Secret text credentials Jenkins has (looked up as SYSTEM) */
    public static WebhookSecret fromCredentials(String credentialsId, List<StringCredentials> available) {
        if (credentialsId == null || credentialsId.isBlank()) {
            throw new InvalidInputException(NOT_CONFIGURED);
        }
        String id = credentialsId.trim();
        StringCredentials found = CredentialsMatchers.firstOrNull(available, CredentialsMatchers.withId(id));
        if (found == null) {
            throw new InvalidInputException(String.format(NOT_FOUND, id));
        }
        return WebhookSecret.of(found.getSecret().getPlainText(), "credentials " + id);
    }
}
