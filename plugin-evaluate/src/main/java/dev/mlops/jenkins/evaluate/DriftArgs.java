package dev.mlops.jenkins.evaluate;

import dev.mlops.drift.DriftCheck;
import dev.mlops.drift.DriftSettings;
import dev.mlops.monitor.DriftVerdict;
import dev.mlops.monitor.RetrainTarget;
import dev.mlops.retrain.RetrainMode;
import dev.mlops.retrain.RetrainPolicy;
import java.io.Serializable;
import java.net.URI;

/** The drift step's arguments as plain serializable values, sent to the agent inside {@link DriftOnAgent}. */
record DriftArgs(String registry, String model, String version, String current, String method, String correction, Double driftShare,
                 long windowRows, String reportDir, boolean trigger, String webhook, String job, String secretEnv, long cooldownMinutes,
                 int maxPerDay, String triggerMode, String reportUrl) implements Serializable {

    /** Where the local deploy target's production server writes its inference log, in the workspace (as the shared-library var). */
    static final String DEFAULT_CURRENT = ".mlops/deployments/production/inference";

    /** {@code model:version}, or {@code model@production}; a model that already names a version or alias is kept. */
    String reference() {
        if (model == null || model.contains(":") || model.contains("@")) {
            return model;
        }
        return version != null ? model + ":" + version : model + "@production";
    }

    /** The same arguments with the retrain request's report link defaulted to {@code url} (the build's drift page). */
    DriftArgs withDefaultReportUrl(String url) {
        return reportUrl != null || url == null ? this : new DriftArgs(registry, model, version, current, method, correction, driftShare,
                windowRows, reportDir, trigger, webhook, job, secretEnv, cooldownMinutes, maxPerDay, triggerMode, url);
    }

    boolean triggers() {
        return trigger && webhook != null;
    }

    DriftVerdict.Input toInput() {
        DriftSettings settings = DriftSettings.defaults().withMethod(method == null ? DriftSettings.AUTO : method)
                .withCorrection(correction == null ? DriftSettings.BENJAMINI_HOCHBERG : correction);
        if (driftShare != null) {
            settings = settings.withDriftShare(driftShare);
        }
        DriftCheck.Input check = new DriftCheck.Input(registry, reference(), null, current == null ? DEFAULT_CURRENT : current, null, null,
                windowRows, settings, reportDir);
        RetrainTarget target = !triggers() ? null : new RetrainTarget(URI.create(webhook), null, null, job, secretEnv, null,
                RetrainPolicy.of(cooldownMinutes, maxPerDay, triggerMode == null ? RetrainMode.TRIGGER : RetrainMode.parse(triggerMode)), null);
        return new DriftVerdict.Input(check, target, reportUrl);
    }

    private static final long serialVersionUID = 1L;
}
