package dev.mlops.cli;

import dev.mlops.drift.DriftCheck;
import dev.mlops.drift.DriftReport;
import dev.mlops.drift.DriftSettings;
import dev.mlops.drift.FeatureDrift;
import dev.mlops.error.InvalidInputException;
import dev.mlops.json.Json;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "drift", mixinStandardHelpOptions = true,
        description = {"Compare current traffic (the model server's inference logs, or a CSV) with the reference profile",
                "stored with the model version. Writes drift.json (schema " + DriftReport.SCHEMA + ") and drift.html.",
                "Exit 0 no drift, 5 drift (use --no-fail to always exit 0 after writing the report)."})
final class DriftCommand implements Callable<Integer> {
    static final int EXIT_DRIFT = 5;

    private final Context context;
    @Mixin
    RegistryOptions registry = new RegistryOptions();
    @Option(names = "--model", description = "NAME, NAME:VERSION or NAME@ALIAS whose reference profile to compare with")
    String model;
    @Option(names = "--reference-profile", paramLabel = "FILE", description = "A reference-profile.json to use instead of the registered one")
    String referenceProfile;
    @Option(names = "--current", required = true, paramLabel = "LOGDIR|CSV", description = "The server's --log-dir, or a CSV with the feature columns")
    String current;
    @Option(names = "--since", paramLabel = "INSTANT", description = "Logged requests from this time (ISO-8601, e.g. 2025-01-01T00:00:00Z)")
    String since;
    @Option(names = "--until", paramLabel = "INSTANT", description = "Logged requests before this time (ISO-8601)")
    String until;
    @Option(names = "--max-rows", description = "Read at most this many current rows (default: all)")
    long maxRows;
    @Option(names = "--method", description = "auto (default), psi, ks, wasserstein, jensen_shannon, chi_square")
    String method;
    @Option(names = "--correction", description = "benjamini_hochberg (default), bonferroni, none")
    String correction;
    @Option(names = "--drift-share", description = "The dataset drifts when this share of features drifts (default 0.5)")
    Double driftShare;
    @Option(names = "--threshold", paramLabel = "NAME=VALUE",
            description = "Override a threshold: alpha (p-value tests, 0.05), psi (0.1), wasserstein (0.1), jensen_shannon (0.1), small_sample (1000); repeatable")
    List<String> thresholds;
    @Option(names = "--report-dir", description = "Where the reports go (default " + DriftCheck.DEFAULT_REPORT_DIR + ")")
    String reportDir;
    @Option(names = "--no-fail", description = "Exit 0 whatever the verdict")
    boolean noFail;
    @Option(names = "--json", description = "Print the summary as JSON (schema " + DriftReport.SUMMARY_SCHEMA + "); the full report is drift.json")
    boolean json;
    @Mixin
    TriggerOptions trigger = new TriggerOptions();

    DriftCommand(Context context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        dev.mlops.monitor.RetrainTarget target = trigger.prepare(model, context);
        DriftCheck.Result result = check();
        DriftReport report = result.report();
        java.util.Optional<dev.mlops.monitor.TriggerResult> retrain = target == null ? java.util.Optional.empty()
                : trigger.apply(result, target, registry, context);
        if (json) {
            java.util.Map<String, Object> summary = new java.util.LinkedHashMap<>(report.summary());
            summary.put("report", result.html().toString());
            summary.put("report_json", result.json().toString());
            retrain.ifPresent(r -> summary.put("trigger", r.toJson()));
            context.out().println(Json.toString(summary));
        } else {
            print(result);
            retrain.ifPresent(r -> context.out().println("Retrain: " + r.line()));
        }
        return report.drifted() && !noFail ? EXIT_DRIFT : 0;
    }

    /** Runs the check without printing; the seam a retrain trigger (--trigger, mlops monitor) builds on. */
    DriftCheck.Result check() {
        DriftSettings settings = DriftSettings.defaults().withMethod(method == null ? DriftSettings.AUTO : method)
                .withCorrection(correction == null ? DriftSettings.BENJAMINI_HOCHBERG : correction)
                .withThresholds(KeyValues.parse("--threshold", thresholds));
        if (driftShare != null) {
            settings = settings.withDriftShare(driftShare);
        }
        return DriftCheck.run(new DriftCheck.Input(registry.registry, model, referenceProfile, current, instant("--since", since),
                instant("--until", until), maxRows, settings, reportDir), context.workingDir(), context.env(), context.clock());
    }

    private void print(DriftCheck.Result result) {
        DriftReport r = result.report();
        context.out().printf("Drift of %s on %d current rows of %s (reference %d rows)%n",
                r.model() == null ? "data" : r.model() + (r.version() == null ? "" : ":" + r.version()), r.currentRows(), r.currentSource(),
                r.referenceRows());
        for (FeatureDrift f : r.features()) {
            context.out().printf(Locale.ROOT, "  %-20s %-5s %-15s %10s  %s%n", f.feature(), f.drifted() ? "DRIFT" : "ok", f.method(),
                    f.statistic() == null ? "-" : String.format(Locale.ROOT, "%.4g", f.statistic()),
                    f.adjustedP() == null ? "" : String.format(Locale.ROOT, "p=%.3g", f.adjustedP()));
        }
        if (r.prediction() != null) {
            context.out().printf("  %-20s %-5s %s%n", "(prediction)", r.prediction().drifted() ? "DRIFT" : "ok", r.prediction().method());
        }
        r.notes().forEach(n -> context.out().println("  note: " + n));
        context.out().printf(Locale.ROOT, "Verdict: %s (%d of %d features, %.0f%%; threshold %.0f%%)%n", r.drifted() ? "DRIFT" : "NO DRIFT",
                r.driftedFeatures(), r.evaluatedFeatures(), r.driftedShare() * 100, r.settings().driftShare() * 100);
        context.out().println("Report:  " + result.html());
    }

    private static Instant instant(String option, String text) {
        if (text == null) {
            return null;
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new InvalidInputException(option + ": '" + text + "' is not an ISO-8601 instant; use e.g. 2025-01-01T00:00:00Z");
        }
    }
}
