package dev.mlops.cli;

import dev.mlops.drift.DriftCheck;
import dev.mlops.monitor.DriftRetrain;
import dev.mlops.monitor.RetrainTarget;
import dev.mlops.monitor.TriggerResult;
import dev.mlops.registry.Caller;
import dev.mlops.retrain.RetrainMode;
import dev.mlops.retrain.RetrainPolicy;
import dev.mlops.retrain.RetryPolicy;
import dev.mlops.storage.ArtifactStore;
import java.net.URI;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * The retrain trigger of {@code mlops drift --trigger} and {@code mlops monitor --trigger}: where to send
 * (a signed webhook or Jenkins buildWithParameters) and the guards. Secrets only from environment
 * variables named here; the ledger (cool-down, budget) and the audit log live in the registry.
 */
final class TriggerOptions {
    @Option(names = "--trigger", description = "On drift, ask for a retrain through --webhook or --jenkins")
    boolean enabled;
    @Option(names = "--webhook", paramLabel = "URL", description = "Signed retrain endpoint, e.g. https://jenkins.example.com/mlops-webhook/retrain")
    URI webhook;
    @Option(names = "--jenkins", paramLabel = "URL", description = "Jenkins base URL: trigger job/<job>/buildWithParameters by user + API token instead")
    URI jenkins;
    @Option(names = "--jenkins-user", paramLabel = "USER", description = "Jenkins user owning the API token")
    String jenkinsUser;
    @Option(names = "--job", paramLabel = "NAME", description = "The retraining job to start (default: the model's name)")
    String job;
    @Option(names = "--secret-env", paramLabel = "VAR", defaultValue = RetrainTarget.DEFAULT_SECRET_ENV,
            description = "Environment variable holding the webhook's HMAC secret (default: ${DEFAULT-VALUE})")
    String secretEnv;
    @Option(names = "--token-env", paramLabel = "VAR", defaultValue = RetrainTarget.DEFAULT_TOKEN_ENV,
            description = "Environment variable holding the Jenkins API token (default: ${DEFAULT-VALUE})")
    String tokenEnv;
    @Option(names = "--cooldown-minutes", defaultValue = "360", description = "No second retrain of the model inside this (default: ${DEFAULT-VALUE})")
    long cooldownMinutes;
    @Option(names = "--max-per-day", defaultValue = "2", description = "Retrain budget per model and UTC day, 0 = no limit (default: ${DEFAULT-VALUE})")
    int maxPerDay;
    @Option(names = "--trigger-mode", defaultValue = "trigger", description = "trigger | dry_run | pause (default: ${DEFAULT-VALUE})")
    String mode;
    @Option(names = "--dry-run", description = "Same as --trigger-mode dry_run: print what would be sent, send nothing")
    boolean dryRun;
    @Option(names = "--attempts", defaultValue = "4", description = "Attempts on 5xx or connection errors, with exponential backoff (default: ${DEFAULT-VALUE})")
    int attempts;
    @Option(names = "--report-url", paramLabel = "URL", description = "Link to put in the request instead of the report file's file: URI (e.g. the archived artifact)")
    String reportUrl;

    private RetrainTarget target() {
        RetrainMode chosen = dryRun ? RetrainMode.DRY_RUN : RetrainMode.parse(mode);
        RetryPolicy retry = new RetryPolicy(attempts, RetryPolicy.DEFAULT.initialBackoff(), RetryPolicy.DEFAULT.maxBackoff(),
                RetryPolicy.DEFAULT.requestTimeout());
        return new RetrainTarget(webhook, jenkins, jenkinsUser, job, secretEnv, tokenEnv, RetrainPolicy.of(cooldownMinutes, maxPerDay, chosen), retry);
    }

    /**
     * Null without --trigger; otherwise the checked target. Fails before any work on a bad configuration or a
     * missing secret (the message names the variable, never a value).
     */
    RetrainTarget prepare(String model, Context context) {
        if (!enabled) {
            if (webhook != null || jenkins != null) {
                throw new dev.mlops.error.InvalidInputException("--webhook / --jenkins: given without --trigger; add --trigger to ask for retraining on drift");
            }
            return null;
        }
        RetrainTarget target = target();
        if (model == null) {
            throw new dev.mlops.error.InvalidInputException("--trigger: needs --model NAME[@ALIAS|:VERSION]: a retrain request names the model to retrain");
        }
        target.open(dev.mlops.registry.ModelRef.parse(model).model(), context.env(), context.clock());
        return target;
    }

    DriftRetrain open(RetrainTarget target, String model, ArtifactStore store, Context context, String command) {
        Caller caller = Caller.fromEnvironment(context.env());
        return DriftRetrain.open(target, model, store, context.env(), context.clock(), line -> context.err().println(command + ": " + line),
                caller.user(), caller.build().describe());
    }

    /** `mlops drift --trigger`: acts on one result; empty without drift. */
    Optional<TriggerResult> apply(DriftCheck.Result result, RetrainTarget target, RegistryOptions registry, Context context) {
        if (!result.report().drifted()) {
            return Optional.empty();
        }
        try (ArtifactStore store = WebhookCommand.store(registry, context)) {
            return open(target, result.report().model(), store, context, "mlops drift").onReport(result.report(),
                    DriftRetrain.reportLink(reportUrl, result.html()));
        }
    }
}
