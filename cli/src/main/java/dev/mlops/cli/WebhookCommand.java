package dev.mlops.cli;

import dev.mlops.audit.AuditLog;
import dev.mlops.error.InvalidInputException;
import dev.mlops.json.Json;
import dev.mlops.registry.Caller;
import dev.mlops.retrain.CommandJobLauncher;
import dev.mlops.retrain.JenkinsRemoteTrigger;
import dev.mlops.retrain.RetrainLedger;
import dev.mlops.retrain.RetrainMode;
import dev.mlops.retrain.RetrainOutcome;
import dev.mlops.retrain.RetrainPolicy;
import dev.mlops.retrain.RetrainRequest;
import dev.mlops.retrain.RetrainTrigger;
import dev.mlops.retrain.Retrainer;
import dev.mlops.retrain.RetryPolicy;
import dev.mlops.retrain.SignedWebhookTrigger;
import dev.mlops.retrain.WebhookReceiver;
import dev.mlops.retrain.WebhookSecret;
import dev.mlops.retrain.WebhookServer;
import dev.mlops.storage.ArtifactStore;
import dev.mlops.storage.ArtifactStores;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "webhook", mixinStandardHelpOptions = true, description = "Authenticated retrain webhook: send a signed retrain request, or receive them and run the retraining.",
        subcommands = {WebhookCommand.Send.class, WebhookCommand.Serve.class})
final class WebhookCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** The shared secret, from an environment variable or a file; never from the command line. */
    static final class SecretOptions {
        @Option(names = "--secret-env", paramLabel = "VAR", defaultValue = "MLOPS_WEBHOOK_SECRET",
                description = "Environment variable holding the HMAC secret (default: ${DEFAULT-VALUE})")
        String secretEnv;
        @Option(names = "--secret-file", paramLabel = "FILE", description = "File holding the HMAC secret instead (e.g. a mounted secret)")
        Path secretFile;

        WebhookSecret load(Context context) {
            return secretFile != null ? WebhookSecret.fromFile(context.workingDir().resolve(secretFile)) : WebhookSecret.fromEnv(secretEnv, context.env());
        }
    }

    static ArtifactStore store(RegistryOptions registry, Context context) {
        return ArtifactStores.open(ArtifactStores.resolveUri(registry.registry, context.env()), context.workingDir(), context.env());
    }

    @Command(name = "send", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Ask for a retrain: POST a signed mlops.retrain-request/v1 to --url, or trigger Jenkins' buildWithParameters (--jenkins).",
                    "Cool-down and daily budget per model are kept in the registry (shared by every run); every trigger and suppression is audited.",
                    "Exit 0 sent, dry run or paused; 4 suppressed by cool-down/budget; 1 endpoint unavailable after retries."})
    static final class Send implements Callable<Integer> {
        private final Context context;
        @Mixin
        RegistryOptions registry = new RegistryOptions();
        @Mixin
        SecretOptions secret = new SecretOptions();
        @Option(names = "--url", paramLabel = "URL", description = "Signed webhook endpoint, e.g. https://jenkins.example.com/mlops-webhook/retrain")
        URI url;
        @Option(names = "--jenkins", paramLabel = "URL", description = "Jenkins base URL: trigger job/<job>/buildWithParameters by user + API token instead")
        URI jenkins;
        @Option(names = "--jenkins-user", paramLabel = "USER", description = "Jenkins user owning the API token")
        String jenkinsUser;
        @Option(names = "--token-env", paramLabel = "VAR", defaultValue = "JENKINS_API_TOKEN", description = "Environment variable with the Jenkins API token (default: ${DEFAULT-VALUE})")
        String tokenEnv;
        @Option(names = "--job", required = true, paramLabel = "NAME", description = "The retraining job to start (FOLDER/NAME in Jenkins)")
        String job;
        @Option(names = "--model", required = true, description = "Model to retrain")
        String model;
        @Option(names = "--version", description = "Version that drifted")
        String version;
        @Option(names = "--reason", required = true, description = "Why, e.g. \"drift in 7 of 25 features\"")
        String reason;
        @Option(names = "--report", paramLabel = "URL", description = "Link to the drift report")
        URI report;
        @Option(names = "--summary", paramLabel = "KEY=VALUE", description = "Summary entries carried in the payload (repeatable)")
        List<String> summary = new ArrayList<>();
        @Option(names = "--mode", defaultValue = "trigger", description = "trigger | dry_run | pause (default: ${DEFAULT-VALUE})")
        String mode;
        @Option(names = "--dry-run", description = "Same as --mode dry_run: print what would be sent, send nothing")
        boolean dryRun;
        @Option(names = "--cooldown-minutes", defaultValue = "360", description = "No second trigger for the model inside this (default: ${DEFAULT-VALUE})")
        long cooldownMinutes;
        @Option(names = "--max-per-day", defaultValue = "2", description = "Retrain budget per model and UTC day, 0 = no limit (default: ${DEFAULT-VALUE})")
        int maxPerDay;
        @Option(names = "--attempts", defaultValue = "4", description = "Attempts on 5xx or connection errors, with exponential backoff (default: ${DEFAULT-VALUE})")
        int attempts;
        @Option(names = "--json", description = "Print the outcome as JSON (schema mlops.retrain-outcome/v1)")
        boolean json;

        Send(Context context) {
            this.context = context;
        }

        @Override
        public Integer call() {
            RetrainMode chosen = dryRun ? RetrainMode.DRY_RUN : RetrainMode.parse(mode);
            RetrainPolicy policy = RetrainPolicy.of(cooldownMinutes, maxPerDay, chosen);
            RetryPolicy retry = new RetryPolicy(attempts, RetryPolicy.DEFAULT.initialBackoff(), RetryPolicy.DEFAULT.maxBackoff(), RetryPolicy.DEFAULT.requestTimeout());
            RetrainRequest request = new RetrainRequest(model, version, reason, KeyValues.parse("--summary", summary).entrySet().stream()
                    .collect(LinkedHashMap::new, (m, e) -> m.put(e.getKey(), e.getValue()), Map::putAll), report);
            Caller caller = Caller.fromEnvironment(context.env());
            try (ArtifactStore store = store(registry, context)) {
                Retrainer retrainer = new Retrainer(trigger(retry), policy, new RetrainLedger(store, context.clock()),
                        new AuditLog(store, context.clock()), line -> context.err().println("mlops webhook: " + line));
                RetrainOutcome outcome = retrainer.request(request, caller.user(), caller.build().describe());
                if (json) {
                    context.out().println(Json.toString(outcome.toJson()));
                } else {
                    context.out().println(outcome.status().name().toLowerCase() + ": " + outcome.reason()
                            + (outcome.delivery() != null && outcome.delivery().location() != null ? " -> " + outcome.delivery().location() : ""));
                }
                return outcome.status() == RetrainOutcome.Status.SUPPRESSED ? 4 : 0;
            }
        }

        private RetrainTrigger trigger(RetryPolicy retry) {
            if ((url == null) == (jenkins == null)) {
                throw new InvalidInputException("--url / --jenkins: give exactly one (a signed webhook URL, or a Jenkins base URL for buildWithParameters)");
            }
            if (jenkins != null) {
                return new JenkinsRemoteTrigger(jenkins, job, jenkinsUser, WebhookSecret.fromEnv(tokenEnv, context.env()), retry);
            }
            return new SignedWebhookTrigger(url, job, secret.load(context), retry, context.clock());
        }
    }

    @Command(name = "serve", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Receive signed retrain requests and run the job's command locally, one at a time per job, until SIGTERM or Ctrl-C.",
                    "Answers 202 accepted, 401 bad/missing signature, stale timestamp or replayed nonce, 404 unknown job,",
                    "429 cool-down or budget (Retry-After), each with a JSON reason. Each run logs to --log-dir/<job>-<request>.log."})
    static final class Serve implements Callable<Integer> {
        private final Context context;
        @Mixin
        RegistryOptions registry = new RegistryOptions();
        @Mixin
        SecretOptions secret = new SecretOptions();
        @Option(names = "--job", required = true, paramLabel = "NAME=COMMAND", description = "A job the webhook may start and its command (repeatable)")
        List<String> jobs = new ArrayList<>();
        @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address to listen on (default: ${DEFAULT-VALUE})")
        String host;
        @Option(names = "--port", defaultValue = "8095", description = "Port, 0 = any free one (default: ${DEFAULT-VALUE})")
        int port;
        @Option(names = "--path", defaultValue = WebhookServer.DEFAULT_PATH, description = "Endpoint path (default: ${DEFAULT-VALUE})")
        String path;
        @Option(names = "--cooldown-minutes", defaultValue = "0", description = "No second start of a job inside this (default: ${DEFAULT-VALUE})")
        long cooldownMinutes;
        @Option(names = "--max-per-day", defaultValue = "0", description = "Starts per job and UTC day, 0 = no limit (default: ${DEFAULT-VALUE})")
        int maxPerDay;
        @Option(names = "--max-skew-seconds", defaultValue = "300", description = "Accepted clock difference of X-Mlops-Timestamp (default: ${DEFAULT-VALUE})")
        long maxSkewSeconds;
        @Option(names = "--log-dir", defaultValue = ".mlops/webhook-logs", description = "Where each run's output goes (default: ${DEFAULT-VALUE})")
        Path logDir;
        @Option(names = "--drain-seconds", defaultValue = "30", description = "On stop, how long running jobs may finish before they are killed (default: ${DEFAULT-VALUE})")
        int drainSeconds;

        Serve(Context context) {
            this.context = context;
        }

        /** A started receiver; {@link #close()} stops listening, then lets running jobs finish. */
        record Running(WebhookServer server, CommandJobLauncher launcher, ArtifactStore store, Duration drain) implements AutoCloseable {
            @Override
            public void close() {
                server.stop(Duration.ofSeconds(1));
                launcher.stop(drain);
                store.close();
            }
        }

        Running start() {
            WebhookSecret key = secret.load(context);
            CommandJobLauncher launcher = new CommandJobLauncher(CommandJobLauncher.parse(jobs), context.workingDir(), context.workingDir().resolve(logDir),
                    context.clock(), line -> context.err().println("mlops webhook: " + line));
            ArtifactStore store = store(registry, context);
            WebhookReceiver receiver = new WebhookReceiver(() -> key, launcher, new RetrainLedger(store, context.clock()), new AuditLog(store, context.clock()),
                    new WebhookReceiver.Settings(Duration.ofSeconds(maxSkewSeconds), WebhookReceiver.DEFAULT_NONCE_CAPACITY,
                            RetrainPolicy.of(cooldownMinutes, maxPerDay, RetrainMode.TRIGGER)));
            WebhookServer server;
            try {
                server = WebhookServer.start(receiver, host, port, path, WebhookServer.DEFAULT_MAX_BODY);
            } catch (RuntimeException e) {
                launcher.stop(Duration.ZERO);
                store.close();
                throw e;
            }
            context.out().println("Receiving retrain webhooks at " + server.url() + " for jobs " + String.join(", ", CommandJobLauncher.parse(jobs).keySet())
                    + " (secret from " + key.source() + "). Ctrl-C or SIGTERM stops gracefully.");
            context.out().flush();
            return new Running(server, launcher, store, Duration.ofSeconds(drainSeconds));
        }

        @Override
        public Integer call() throws InterruptedException {
            Running running = start();
            CountDownLatch stopped = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                context.err().println("mlops webhook: stopping (no new requests; running jobs get " + drainSeconds + " s)");
                running.close();
                stopped.countDown();
            }, "mlops-webhook-shutdown"));
            stopped.await();
            return 0;
        }
    }
}
