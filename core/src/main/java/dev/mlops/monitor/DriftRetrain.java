package dev.mlops.monitor;

import dev.mlops.audit.AuditLog;
import dev.mlops.drift.DriftReport;
import dev.mlops.drift.FeatureDrift;
import dev.mlops.error.InvalidInputException;
import dev.mlops.retrain.RetrainDeliveryException;
import dev.mlops.retrain.RetrainLedger;
import dev.mlops.retrain.RetrainRequest;
import dev.mlops.retrain.Retrainer;
import dev.mlops.storage.ArtifactStore;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Closes the loop from a drift verdict to retraining: a drifted {@link DriftReport} becomes a
 * {@link RetrainRequest} (model, version, summary, report link) sent through a {@link Retrainer},
 * which applies cool-down, daily budget, dry-run and pause and audits every outcome. Shared by
 * {@code mlops drift --trigger}, {@code mlops monitor} and the Jenkins step.
 */
public final class DriftRetrain {
    private final Retrainer retrainer;
    private final String actor;
    private final String build;

    public DriftRetrain(Retrainer retrainer, String actor, String build) {
        this.retrainer = retrainer;
        this.actor = actor;
        this.build = build;
    }

    /** A retrainer for {@code model} whose ledger and audit log live in {@code store} (the registry's), shared by every run. */
    public static DriftRetrain open(RetrainTarget target, String model, ArtifactStore store, Map<String, String> env, Clock clock,
                                    Consumer<String> log, String actor, String build) {
        if (model == null) {
            throw new InvalidInputException("--trigger: needs --model NAME[@ALIAS|:VERSION]: a retrain request names the model to retrain");
        }
        Retrainer retrainer = new Retrainer(target.open(model, env, clock), target.policy(), new RetrainLedger(store, clock),
                new AuditLog(store, clock), log);
        return new DriftRetrain(retrainer, actor, build);
    }

    /** Empty when the report shows no drift; otherwise what the retrainer did, delivery failures included. */
    public Optional<TriggerResult> onReport(DriftReport report, URI reportLink) {
        if (!report.drifted()) {
            return Optional.empty();
        }
        try {
            return Optional.of(TriggerResult.of(retrainer.request(request(report, reportLink), actor, build)));
        } catch (RetrainDeliveryException failed) {
            return Optional.of(TriggerResult.failed(failed.getMessage()));
        }
    }

    /** The request for a drifted report; the reason names the drifted share and the top features. */
    public static RetrainRequest request(DriftReport report, URI reportLink) {
        if (report.model() == null) {
            throw new InvalidInputException("--trigger: the drift report names no model; pass --model so the request says what to retrain");
        }
        String top = String.join(", ", report.features().stream().filter(FeatureDrift::drifted).limit(3).map(FeatureDrift::feature).toList());
        String reason = "drift in " + report.driftedFeatures() + " of " + report.evaluatedFeatures() + " features"
                + (top.isEmpty() ? "" : " (" + top + ")") + " on " + report.currentRows() + " rows of " + report.currentSource();
        return new RetrainRequest(report.model(), report.version() == null ? null : report.version().toString(), reason,
                report.summary(), reportLink);
    }

    /** {@code override} when given (a published URL of the report), else the report file as a file: URI. */
    public static URI reportLink(String override, Path html) {
        if (override != null && !override.isBlank()) {
            URI uri;
            try {
                uri = new URI(override.trim());
            } catch (java.net.URISyntaxException e) {
                uri = null;
            }
            if (uri == null || !uri.isAbsolute()) {
                throw new InvalidInputException("--report-url: '" + override + "' is not an absolute URL; e.g. https://jenkins.example.com/job/drift/12/artifact/drift.html");
            }
            return uri;
        }
        return html.toAbsolutePath().toUri();
    }
}
