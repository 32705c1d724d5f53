package dev.mlops.cli;

import dev.mlops.audit.AuditLog;
import dev.mlops.config.MlopsConfig;
import dev.mlops.drift.DriftSettings;
import dev.mlops.monitor.DriftMonitor;
import dev.mlops.monitor.DriftRetrain;
import dev.mlops.monitor.MonitorSettings;
import dev.mlops.monitor.WindowResult;
import dev.mlops.registry.Caller;
import dev.mlops.retrain.JobLauncher;
import dev.mlops.retrain.RetrainLedger;
import dev.mlops.retrain.RetrainMode;
import dev.mlops.retrain.RetrainPayload;
import dev.mlops.retrain.RetrainPolicy;
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
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/**
 * The Level 4 loop of the demo, in-process and on loopback only: a {@link DriftMonitor} over the
 * production server's inference log, whose drifted windows go through a {@link Retrainer} (cool-down
 * and budget from mlops.yaml) as signed webhook requests to a {@link WebhookServer} on 127.0.0.1; its
 * {@link WebhookReceiver} verifies them and starts the retraining job in this JVM. The HMAC secret is
 * random, held in memory only and never printed. {@link #close()} stops the receiver and the job.
 */
final class DemoRetrainLoop implements AutoCloseable {
    private final ArtifactStore store;
    private final WebhookServer server;
    private final DriftMonitor monitor;
    private final InProcessJobs jobs;

    /** Runs the job on one thread; it starts once {@link #release()} is called so its narration follows the monitor's. */
    static final class InProcessJobs implements JobLauncher {
        private final String job;
        private final Consumer<RetrainPayload> work;
        private final ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "mlops-demo-retrain");
            t.setDaemon(true);
            return t;
        });
        private final CountDownLatch go = new CountDownLatch(1);
        private final List<Future<?>> started = new ArrayList<>();
        private final List<RetrainPayload> payloads = new ArrayList<>();

        InProcessJobs(String job, Consumer<RetrainPayload> work) {
            this.job = job;
            this.work = work;
        }

        @Override
        public boolean knows(String name) {
            return job.equals(name);
        }

        @Override
        public synchronized String launch(String name, RetrainPayload payload) {
            payloads.add(payload);
            started.add(executor.submit(() -> {
                go.await();
                work.accept(payload);
                return null;
            }));
            return "in-process job " + name + " (this JVM)";
        }

        void release() {
            go.countDown();
        }

        synchronized List<Future<?>> started() {
            return List.copyOf(started);
        }

        synchronized List<RetrainPayload> payloads() {
            return List.copyOf(payloads);
        }

        void stop() {
            go.countDown();
            executor.shutdownNow();
        }
    }

    DemoRetrainLoop(Context context, String registryUri, MlopsConfig config, URI webhook, Path productionLog, Consumer<RetrainPayload> retrain) {
        MlopsConfig.Retrain r = config.retrain();
        MlopsConfig.Drift d = config.drift();
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        WebhookSecret secret = WebhookSecret.of(HexFormat.of().formatHex(random), "demo: random, in memory");
        this.store = ArtifactStores.open(registryUri, context.workingDir(), context.env());
        this.jobs = new InProcessJobs(r.job(), retrain);
        WebhookReceiver receiver = new WebhookReceiver(() -> secret, jobs, new RetrainLedger(store, context.clock()),
                new AuditLog(store, context.clock()), WebhookReceiver.Settings.defaults(RetrainPolicy.of(0, 0, RetrainMode.TRIGGER)));
        try {
            this.server = WebhookServer.start(receiver, webhook.getHost(), webhook.getPort(), webhook.getPath(), WebhookServer.DEFAULT_MAX_BODY);
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
        Caller caller = Caller.fromEnvironment(context.env());
        Retrainer retrainer = new Retrainer(new SignedWebhookTrigger(server.url(), r.job(), secret, RetryPolicy.DEFAULT, context.clock()),
                RetrainPolicy.of(r.cooldownMinutes(), r.maxPerDay(), RetrainMode.parse(r.mode())), new RetrainLedger(store, context.clock()),
                new AuditLog(store, context.clock()), line -> { });
        DriftSettings drift = DriftSettings.defaults().withMethod(d.method()).withCorrection(d.correction()).withDriftShare(d.driftShare());
        MonitorSettings settings = new MonitorSettings(registryUri, DemoCommand.MODEL + "@production", null, productionLog, d.windowRows(), 0,
                drift, null, null, MonitorSettings.DEFAULT_KEEP_WINDOWS, Duration.ofMillis(200), null);
        this.monitor = new DriftMonitor(settings, context.workingDir(), context.env(), context.clock(),
                new DriftRetrain(retrainer, caller.user(), caller.build().describe()), line -> context.out().println("  " + line));
    }

    URI url() {
        return server.url();
    }

    /** Windows completed since the last call. */
    List<WindowResult> poll() {
        return monitor.poll();
    }

    InProcessJobs jobs() {
        return jobs;
    }

    @Override
    public void close() {
        server.stop(Duration.ofSeconds(1));
        jobs.stop();
        store.close();
    }
}
