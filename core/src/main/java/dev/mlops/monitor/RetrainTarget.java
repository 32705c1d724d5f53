package dev.mlops.monitor;

import dev.mlops.error.InvalidInputException;
import dev.mlops.retrain.JenkinsRemoteTrigger;
import dev.mlops.retrain.RetrainPolicy;
import dev.mlops.retrain.RetrainTrigger;
import dev.mlops.retrain.RetryPolicy;
import dev.mlops.retrain.SignedWebhookTrigger;
import dev.mlops.retrain.WebhookSecret;
import java.net.URI;
import java.time.Clock;
import java.util.Map;

/**
 * Where a drift verdict sends its retrain request and under which guards: exactly one of a signed
 * {@code webhook} URL or a {@code jenkins} base URL (buildWithParameters). Secrets are named, never
 * held: {@code secretEnv} (HMAC key) and {@code tokenEnv} (Jenkins API token) are environment variable
 * names read when the trigger is opened. {@code job} defaults to the model's name.
 */
public record RetrainTarget(URI webhook, URI jenkins, String jenkinsUser, String job, String secretEnv, String tokenEnv,
                            RetrainPolicy policy, RetryPolicy retry) {
    public static final String DEFAULT_SECRET_ENV = "MLOPS_WEBHOOK_SECRET";
    public static final String DEFAULT_TOKEN_ENV = "JENKINS_API_TOKEN";

    public RetrainTarget {
        if ((webhook == null) == (jenkins == null)) {
            throw new InvalidInputException("--webhook / --jenkins: give exactly one with --trigger (a signed webhook URL, "
                    + "or a Jenkins base URL for buildWithParameters)");
        }
        if (job != null && job.isBlank()) {
            job = null;
        }
        secretEnv = secretEnv == null || secretEnv.isBlank() ? DEFAULT_SECRET_ENV : secretEnv;
        tokenEnv = tokenEnv == null || tokenEnv.isBlank() ? DEFAULT_TOKEN_ENV : tokenEnv;
        if (policy == null) {
            throw new InvalidInputException("retrain policy: missing; give --cooldown-minutes, --max-per-day and --trigger-mode");
        }
        retry = retry == null ? RetryPolicy.DEFAULT : retry;
    }

    /** The job to start for {@code model}: {@link #job()} or, when not given, the model's name. */
    public String jobFor(String model) {
        return job != null ? job : model;
    }

    /** Builds the trigger, reading its secret from {@code env} now; the message names a missing variable, never a value. */
    public RetrainTrigger open(String model, Map<String, String> env, Clock clock) {
        if (jenkins != null) {
            return new JenkinsRemoteTrigger(jenkins, jobFor(model), jenkinsUser, WebhookSecret.fromEnv(tokenEnv, env), retry);
        }
        return new SignedWebhookTrigger(webhook, jobFor(model), WebhookSecret.fromEnv(secretEnv, env), retry, clock);
    }

    /** Where requests go, safe to print. */
    public String describe() {
        return jenkins != null ? "Jenkins " + jenkins + " (user " + jenkinsUser + ", token from env " + tokenEnv + ")"
                : "webhook " + webhook + " (HMAC secret from env " + secretEnv + ")";
    }
}
