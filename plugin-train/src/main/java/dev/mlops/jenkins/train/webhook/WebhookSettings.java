package dev.mlops.jenkins.train.webhook;

import dev.mlops.error.InvalidInputException;
import dev.mlops.retrain.RetrainMode;
import dev.mlops.retrain.RetrainPolicy;
import dev.mlops.retrain.WebhookReceiver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The receiver's global configuration as plain values: which credential holds the secret, which jobs
 * the webhook may start, the guards per job, and where the ledger and audit log live (a registry
 * URI; blank means {@code <JENKINS_HOME>/mlops/registry}).
 */
public record WebhookSettings(String secretCredentialsId, Set<String> allowedJobs, long cooldownMinutes, int maxPerDay,
                              long maxSkewSeconds, String registry) {
    public WebhookSettings {
        allowedJobs = Set.copyOf(allowedJobs);
        List<String> problems = new ArrayList<>();
        if (cooldownMinutes < 0) {
            problems.add("cooldownMinutes: " + cooldownMinutes + " is negative; use 0 or more minutes");
        }
        if (maxPerDay < 0) {
            problems.add("maxPerDay: " + maxPerDay + " is negative; use 0 (no limit) or more");
        }
        if (maxSkewSeconds < 1) {
            problems.add("maxSkewSeconds: " + maxSkewSeconds + " must be at least 1; 300 is usual");
        }
        if (!problems.isEmpty()) {
            throw new InvalidInputException("mlops webhook configuration: " + String.join("; ", problems));
        }
    }

    /** Job full names separated by newlines, commas or spaces; surrounding slashes are dropped. */
    public static Set<String> parseJobs(String text) {
        Set<String> jobs = new LinkedHashSet<>();
        if (text != null) {
            for (String token : text.split("[,\\s]+")) {
                String name = token.replaceAll("^/+|/+$", "");
                if (!name.isEmpty()) {
                    jobs.add(name);
                }
            }
        }
        return jobs;
    }

    public WebhookReceiver.Settings receiverSettings() {
        return new WebhookReceiver.Settings(Duration.ofSeconds(maxSkewSeconds), WebhookReceiver.DEFAULT_NONCE_CAPACITY,
                RetrainPolicy.of(cooldownMinutes, maxPerDay, RetrainMode.TRIGGER));
    }
}
