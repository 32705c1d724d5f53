package dev.mlops.cli;

import dev.mlops.drift.DriftSettings;
import dev.mlops.monitor.DriftMonitor;
import dev.mlops.monitor.DriftRetrain;
import dev.mlops.monitor.MonitorSettings;
import dev.mlops.monitor.RetrainTarget;
import dev.mlops.monitor.WindowResult;
import dev.mlops.storage.ArtifactStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "monitor", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Watch production: tail the model server's inference logs (--logs, the server's --log-dir), check drift per window",
                "against the version's reference profile and, with --trigger, ask for a retrain (cool-down and budget keep it to one).",
                "Prints one line per window. The position is saved after each window (--state), so a restart continues where it stopped.",
                "Runs until SIGTERM or Ctrl-C; --once evaluates the windows complete now and exits (0; 5 if one drifted, unless --no-fail)."})
final class MonitorCommand implements Callable<Integer> {
    private final Context context;
    @Mixin
    RegistryOptions registry = new RegistryOptions();
    @Option(names = "--model", required = true, description = "NAME@ALIAS (e.g. churn@production, re-resolved every window) or NAME:VERSION")
    String model;
    @Option(names = "--reference-profile", paramLabel = "FILE", description = "A reference-profile.json to use instead of the registered one")
    String referenceProfile;
    @Option(names = "--logs", required = true, paramLabel = "DIR", description = "The model server's --log-dir (inference-NNNNNN.jsonl files)")
    Path logs;
    @Option(names = "--window-rows", paramLabel = "N", description = "A window closes at the record that brings it to N logged rows")
    long windowRows;
    @Option(names = "--window-seconds", paramLabel = "S", description = "Windows of S seconds of the records' timestamps (aligned to multiples of S)")
    long windowSeconds;
    @Option(names = "--once", description = "Evaluate the windows complete now, then exit")
    boolean once;
    @Option(names = "--state", paramLabel = "FILE", description = "Where the position is saved (default: .mlops/monitor/<model>/state.json)")
    Path state;
    @Option(names = "--keep-windows", defaultValue = "" + MonitorSettings.DEFAULT_KEEP_WINDOWS,
            description = "Window folders (logged lines, drift.json, drift.html) kept under .mlops/monitor/<model>/windows (default: ${DEFAULT-VALUE})")
    int keepWindows;
    @Option(names = "--poll-millis", defaultValue = "1000", description = "How often new log lines are looked for (default: ${DEFAULT-VALUE})")
    long pollMillis;
    @Option(names = "--method", description = "auto (default), psi, ks, wasserstein, jensen_shannon, chi_square")
    String method;
    @Option(names = "--drift-share", description = "A window drifts when this share of features drifts (default 0.5)")
    Double driftShare;
    @Option(names = "--no-fail", description = "With --once, exit 0 whatever the verdicts")
    boolean noFail;
    @Mixin
    TriggerOptions trigger = new TriggerOptions();

    MonitorCommand(Context context) {
        this.context = context;
    }

    @Override
    public Integer call() throws InterruptedException {
        DriftSettings drift = DriftSettings.defaults().withMethod(method == null ? DriftSettings.AUTO : method);
        if (driftShare != null) {
            drift = drift.withDriftShare(driftShare);
        }
        MonitorSettings settings = new MonitorSettings(registry.registry, model, referenceProfile, logs, windowRows, windowSeconds, drift, null,
                state, keepWindows, Duration.ofMillis(Math.max(10, pollMillis)), null);
        RetrainTarget target = trigger.prepare(model, context);
        try (ArtifactStore store = target == null ? null : WebhookCommand.store(registry, context)) {
            DriftRetrain retrain = target == null ? null : trigger.open(target, settings.modelName(), store, context, "mlops monitor");
            DriftMonitor monitor = new DriftMonitor(settings, context.workingDir(), context.env(), context.clock(), retrain,
                    line -> context.out().println(line));
            if (once) {
                List<WindowResult> windows = monitor.poll();
                windows.forEach(w -> context.out().println(w.line()));
                context.out().println(windows.size() + " window(s) evaluated; position saved in " + settings.stateFile());
                return windows.stream().anyMatch(WindowResult::drifted) && !noFail ? DriftCommand.EXIT_DRIFT : 0;
            }
            return runUntilStopped(monitor, settings);
        }
    }

    private int runUntilStopped(DriftMonitor monitor, MonitorSettings settings) throws InterruptedException {
        CountDownLatch stop = new CountDownLatch(1);
        CountDownLatch finished = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            stop.countDown();
            try {
                finished.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "mlops-monitor-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        context.out().println("Monitoring " + model + " in " + logs + " by windows of " + settings.describeWindow()
                + (trigger.enabled ? "; retrain on drift" : "") + ". Ctrl-C or SIGTERM stops after the current poll.");
        try {
            monitor.run(stop);
        } finally {
            context.out().println("mlops monitor: stopped after window " + monitor.state().windows() + "; position saved in " + settings.stateFile());
            context.out().flush();
            finished.countDown();
        }
        return 0;
    }
}
