package dev.mlops.jenkins.evaluate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.mlops.audit.AuditLog;
import dev.mlops.drift.ReferenceProfiles;
import dev.mlops.jenkins.support.TestBuild.LogListener;
import dev.mlops.jenkins.support.TestBuild.TestJob;
import dev.mlops.jenkins.support.TestBuild.TestRun;
import dev.mlops.jenkins.support.TestStepContext;
import dev.mlops.monitor.DriftVerdict;
import dev.mlops.registry.Registration;
import dev.mlops.retrain.JobLauncher;
import dev.mlops.retrain.RetrainLedger;
import dev.mlops.retrain.RetrainMode;
import dev.mlops.retrain.RetrainPayload;
import dev.mlops.retrain.RetrainPolicy;
import dev.mlops.retrain.WebhookReceiver;
import dev.mlops.retrain.WebhookSecret;
import dev.mlops.retrain.WebhookServer;
import dev.mlops.serve.InferenceLog;
import dev.mlops.serve.InferenceRecord;
import dev.mlops.serve.LogSettings;
import dev.mlops.storage.LocalArtifactStore;
import dev.mlops.storage.TransferListener;
import hudson.AbortException;
import hudson.EnvVars;
import hudson.FilePath;
import hudson.model.Result;
import hudson.model.Run;
import hudson.model.TaskListener;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real step execution over a test StepContext: a temp-folder workspace with a registered model and its reference
 * profile, traffic logged by the server's real InferenceLog, and a real webhook receiver on 127.0.0.1.
 */
class MlopsDriftCheckStepTest {
    static final String SECRET = "drift-step-secret-0123456789abcdef";

    @TempDir
    Path tmp;
    Path workspace;
    EnvVars env;
    TestRun run;
    LogListener listener;
    WebhookServer receiver;
    final List<RetrainPayload> launched = new CopyOnWriteArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        workspace = Files.createDirectories(tmp.resolve("ws"));
        env = new EnvVars("MLOPS_REGISTRY", tmp.resolve("registry").toString(), "BUILD_URL", "https://ci.example.com/job/drift/7/",
                "JOB_NAME", "drift", "BUILD_NUMBER", "7", "MLOPS_WEBHOOK_SECRET", SECRET);
        run = new TestRun(new TestJob("drift"), Files.createDirectories(tmp.resolve("builds/7")).toFile());
        listener = new LogListener();

        Path model = Files.createDirectories(workspace.resolve("model"));
        Files.writeString(model.resolve("schema.json"),
                "{\"task\":\"classification\",\"features\":[\"age\",\"income\"],\"label\":\"churned\",\"classes\":[\"0\",\"1\"]}");
        Files.writeString(model.resolve("weights.bin"), "not loadable: the profile has no prediction distribution");
        Random random = new Random(1);
        StringBuilder csv = new StringBuilder("age,income,churned\n");
        for (int i = 0; i < 4000; i++) {
            csv.append(40 + 10 * random.nextGaussian()).append(',').append(50_000 + 8_000 * random.nextGaussian()).append(',')
                    .append(random.nextInt(2)).append('\n');
        }
        Files.writeString(workspace.resolve("train.csv"), csv);
        Registration.Input input = new Registration.Input(null, "churn", List.of("model"), null, null, Map.of(), Map.of(), Map.of(), List.of(),
                "production", "test", null);
        try (ReferenceProfiles.Attached attached = ReferenceProfiles.attach(input, "train.csv", workspace, Clock.systemUTC())) {
            Registration.registerDocument(attached.input(), workspace, env, Clock.systemUTC(), TransferListener.NONE);
        }

        LocalArtifactStore state = new LocalArtifactStore(tmp.resolve("receiver"));
        JobLauncher recording = new JobLauncher() {
            @Override
            public boolean knows(String job) {
                return job.equals("churn-retrain");
            }

            @Override
            public String launch(String job, RetrainPayload payload) {
                launched.add(payload);
                return "queue:" + launched.size();
            }
        };
        receiver = WebhookServer.start(new WebhookReceiver(() -> WebhookSecret.of(SECRET, "test"), recording,
                new RetrainLedger(state, Clock.systemUTC()), new AuditLog(state, Clock.systemUTC()),
                WebhookReceiver.Settings.defaults(RetrainPolicy.of(0, 0, RetrainMode.TRIGGER))), "127.0.0.1", 0,
                WebhookServer.DEFAULT_PATH, WebhookServer.DEFAULT_MAX_BODY);
    }

    @AfterEach
    void stop() {
        receiver.close();
    }

    /** Logs traffic where the production server of the local deploy target logs it; {@code shift} moves age. */
    void traffic(double shift, long seed) {
        try (InferenceLog log = InferenceLog.open(LogSettings.defaults(workspace.resolve(DriftArgs.DEFAULT_CURRENT)), m -> { })) {
            Random random = new Random(seed);
            for (int r = 0; r < 40; r++) {
                float[][] inputs = new float[50][];
                for (int i = 0; i < inputs.length; i++) {
                    inputs[i] = new float[] {(float) (40 + 10 * random.nextGaussian() + shift), (float) (50_000 + 8_000 * random.nextGaussian())};
                }
                log.offer(new InferenceRecord(Instant.now(), "churn", 1, "r" + r, "primary", "weight", inputs, null, 0.3, null));
            }
        }
    }

    TestStepContext start(Map<String, Object> args) throws Exception {
        TestStepContext context = new TestStepContext().with(FilePath.class, new FilePath(workspace.toFile())).with(EnvVars.class, env)
                .with(TaskListener.class, listener).with(Run.class, run);
        new MlopsDriftCheckStep.DescriptorImpl().checkContextAvailability(context);
        MlopsDriftCheckStep step = (MlopsDriftCheckStep) new MlopsDriftCheckStep.DescriptorImpl().newInstance(args);
        assertFalse(step.start(context).start());
        assertTrue(context.isCompleted());
        assertFalse(listener.log().contains(SECRET), "the secret is never logged");
        return context;
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> check(Map<String, Object> args) throws Exception {
        TestStepContext context = start(args);
        if (context.failure() != null) {
            fail("step failed: " + context.failure() + "\n" + listener.log());
        }
        return (Map<String, Object>) context.success();
    }

    Map<String, Object> withWebhook(Object... more) {
        Map<String, Object> args = new HashMap<>(Map.of("model", "churn", "webhook", receiver.url().toString(), "job", "churn-retrain"));
        for (int i = 0; i < more.length; i += 2) {
            args.put((String) more[i], more[i + 1]);
        }
        return args;
    }

    @Test
    void sameDistributionLeavesTheBuildAloneTriggersNothingAndKeepsTheReport() throws Exception {
        traffic(0, 2);

        Map<String, Object> summary = check(withWebhook());

        assertEquals("mlops.drift-summary/v1", summary.get("schema"));
        assertEquals(false, summary.get("drift"));
        assertNull(summary.get("trigger"));
        assertNull(run.getResult());
        assertTrue(launched.isEmpty());
        DriftReportAction action = run.getAction(DriftReportAction.class);
        assertEquals("Drift check: no drift", action.getDisplayName());
        assertEquals("churn:1", action.getReference());
        assertEquals(2000, action.getCurrentRows());
        assertEquals(List.of("age", "income"), action.getFeatures().stream().map(DriftReportAction.FeatureRow::getFeature).sorted().toList());
        assertTrue(Files.isRegularFile(tmp.resolve("builds/7/mlops-drift/1/drift.html")));
        assertTrue(Files.readString(tmp.resolve("builds/7/mlops-drift/1/drift.json")).contains("mlops.drift/v1"));
        assertEquals(run.getUrl() + "mlops-drift/", summary.get("reportUrl"));
        assertTrue(listener.log().contains("mlopsDriftCheck: no drift in 0 of 2 features (churn:1 vs 2000 rows of current traffic)"), listener.log());
    }

    @Test
    void driftMakesTheBuildUnstableAndTriggersOneRetrainWithinTheCooldown() throws Exception {
        traffic(30, 3);

        Map<String, Object> first = check(withWebhook());
        Map<String, Object> second = check(withWebhook());

        assertEquals(true, first.get("drift"));
        assertEquals(Result.UNSTABLE, run.getResult());
        assertEquals("TRIGGERED", ((Map<?, ?>) first.get("trigger")).get("outcome"));
        assertEquals("SUPPRESSED", ((Map<?, ?>) second.get("trigger")).get("outcome"));
        assertEquals(1, launched.size(), "the cool-down kept the second check from a second retrain");
        assertEquals("https://ci.example.com/job/drift/7/mlops-drift/report", launched.get(0).reportLink().toString());
        assertEquals("1", launched.get(0).version());
        DriftReportAction firstPage = run.getActions(DriftReportAction.class).get(0);
        DriftReportAction.FeatureRow age = firstPage.getFeatures().get(0);
        assertEquals("age", age.getFeature(), "sorted by drift score, the shifted feature first");
        assertTrue(age.isDrifted());
        assertEquals("TRIGGERED", firstPage.getRetrainOutcome());
        assertEquals("mlops-drift-2", run.getActions(DriftReportAction.class).get(1).getUrlName());
        assertTrue(listener.log().contains("mlopsDriftCheck: retrain SUPPRESSED: cool-down"), listener.log());
    }

    @Test
    void unstableOnDriftFalseAndDryRunLeaveBuildAndReceiverAlone() throws Exception {
        traffic(30, 4);

        Map<String, Object> summary = check(withWebhook("unstableOnDrift", false, "triggerMode", "dry_run"));

        assertEquals(true, summary.get("drift"));
        assertEquals("DRY_RUN", ((Map<?, ?>) summary.get("trigger")).get("outcome"));
        assertNull(run.getResult());
        assertTrue(launched.isEmpty());
    }

    @Test
    void aMissingSecretFailsTheStepNamingTheVariableBeforeAnyReport() throws Exception {
        traffic(30, 5);
        env.remove("MLOPS_WEBHOOK_SECRET");

        TestStepContext context = start(withWebhook());

        AbortException e = assertInstanceOf(AbortException.class, context.failure());
        assertTrue(e.getMessage().startsWith("mlopsDriftCheck: secret: environment variable MLOPS_WEBHOOK_SECRET is not set"), e.getMessage());
        assertTrue(run.getActions(DriftReportAction.class).isEmpty());
    }

    @Test
    void descriptorBindsEveryArgumentAndDefaultsToProduction() throws Exception {
        MlopsDriftCheckStep.DescriptorImpl descriptor = new MlopsDriftCheckStep.DescriptorImpl();
        assertEquals("mlopsDriftCheck", descriptor.getFunctionName());
        MlopsDriftCheckStep step = (MlopsDriftCheckStep) descriptor.newInstance(Map.ofEntries(Map.entry("model", "churn"),
                Map.entry("version", "3"), Map.entry("current", "logs"), Map.entry("method", "psi"), Map.entry("correction", "bonferroni"),
                Map.entry("driftShare", 0.3), Map.entry("windowRows", 10000), Map.entry("reportDir", "r"), Map.entry("registry", "reg"),
                Map.entry("webhook", "https://jenkins.example.com/mlops-webhook/retrain"), Map.entry("job", "j"), Map.entry("secretEnv", "S"),
                Map.entry("cooldownMinutes", 60), Map.entry("maxPerDay", 1), Map.entry("triggerMode", "pause"), Map.entry("unstableOnDrift", false)));
        DriftVerdict.Input input = step.toArgs().toInput();
        assertEquals("churn:3", input.check().model());
        assertEquals("logs", input.check().current());
        assertEquals(10000, input.check().maxRows());
        assertEquals("psi", input.check().settings().method());
        assertEquals(0.3, input.check().settings().driftShare());
        assertEquals("j", input.target().job());
        assertEquals("S", input.target().secretEnv());
        assertEquals(RetrainMode.PAUSE, input.target().policy().mode());
        assertEquals(1, input.target().policy().maxPerDay());

        MlopsDriftCheckStep plain = (MlopsDriftCheckStep) descriptor.newInstance(Map.of("model", "churn"));
        assertEquals("churn@production", plain.toArgs().toInput().check().model());
        assertEquals(DriftArgs.DEFAULT_CURRENT, plain.toArgs().toInput().check().current());
        assertNull(plain.toArgs().toInput().target(), "no webhook, no trigger");
        assertThrows(IllegalArgumentException.class, () -> descriptor.newInstance(Map.of("model", "churn", "colour", "red")));
    }
}
