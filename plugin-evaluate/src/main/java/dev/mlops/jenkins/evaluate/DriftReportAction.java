package dev.mlops.jenkins.evaluate;

import static dev.mlops.jenkins.support.ActionSupport.list;
import static dev.mlops.jenkins.support.ActionSupport.map;
import static dev.mlops.jenkins.support.ActionSupport.number;
import static dev.mlops.jenkins.support.ActionSupport.text;

import dev.mlops.drift.DriftReports;
import dev.mlops.jenkins.support.BuildPageAction;


import java.io.File;



import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.kohsuke.stapler.HttpResponse;



/**
 * One drift check, attached to the build that ran it: a page at {@code <build>/mlops-drift/} ({@code -2} ...
 * for later ones) with the verdict, the retrain outcome, one row per feature (sorted by drift score, as in
 * the report) and the full report, kept in the build's folder and served sandboxed like the evaluation
 * report ({@link SandboxedReport#CONTENT_SECURITY_POLICY}).
 */
public class DriftReportAction extends BuildPageAction {
    private final int index;
    private final String folder;
    private final boolean drift;
    private final String reference;
    private final long driftedFeatures;
    private final long evaluatedFeatures;
    private final long currentRows;
    private final String retrainOutcome;
    private final String retrainReason;
    private final List<FeatureRow> features;
    private final String reportOnAgent;

    DriftReportAction(int index, String folder, boolean drift, String reference, long driftedFeatures, long evaluatedFeatures, long currentRows,
                      String retrainOutcome, String retrainReason, List<FeatureRow> features, String reportOnAgent) {
        this.index = index;
        this.folder = folder;
        this.drift = drift;
        this.reference = reference;
        this.driftedFeatures = driftedFeatures;
        this.evaluatedFeatures = evaluatedFeatures;
        this.currentRows = currentRows;
        this.retrainOutcome = retrainOutcome;
        this.retrainReason = retrainReason;
        this.features = new ArrayList<>(features);
        this.reportOnAgent = reportOnAgent;
    }

    /** From the summary (schema {@code mlops.drift-summary/v1}) as parsed from JSON. */
    static DriftReportAction fromSummary(Map<String, Object> summary, int index, String folder) {
        Object version = summary.get("version");
        String reference = text(summary.get("model")) + (version == null ? "" : ":" + version);
        Map<String, Object> trigger = map(summary.get("trigger"));
        List<FeatureRow> rows = new ArrayList<>();
        for (Object o : list(summary.get("features"))) {
            Map<String, Object> f = map(o);
            rows.add(new FeatureRow(text(f.get("feature")), text(f.get("method")), DriftMessages.number(decimal(f.get("statistic"))),
                    DriftMessages.number(decimal(f.get("p_value"))), DriftMessages.number(decimal(f.get("score"))), Boolean.TRUE.equals(f.get("drifted"))));
        }
        return new DriftReportAction(index, folder, Boolean.TRUE.equals(summary.get("drift")), reference, number(summary.get("drifted_features")),
                number(summary.get("evaluated_features")), number(summary.get("current_rows")), text(trigger.get("outcome")),
                text(trigger.get("reason")), rows, text(summary.get("report")));
    }

    private static Double decimal(Object o) {
        return o instanceof Number n ? n.doubleValue() : null;
    }

    static String urlName(int index) {
        return index > 1 ? DriftMessages.URL_NAME + "-" + index : DriftMessages.URL_NAME;
    }

    @Override
    public String getIconFileName() {
        return DriftMessages.ACTION_ICON;
    }

    @Override
    public String getDisplayName() {
        return DriftMessages.actionDisplayName(drift, index);
    }

    @Override
    public String getUrlName() {
        return urlName(index);
    }

    public boolean isDrift() {
        return drift;
    }

    public String getReference() {
        return reference;
    }

    public long getDriftedFeatures() {
        return driftedFeatures;
    }

    public long getEvaluatedFeatures() {
        return evaluatedFeatures;
    }

    public long getCurrentRows() {
        return currentRows;
    }

    /** TRIGGERED, DRY_RUN, PAUSED, SUPPRESSED or FAILED; null when no retrain was asked. */
    public String getRetrainOutcome() {
        return retrainOutcome;
    }

    public String getRetrainReason() {
        return retrainReason;
    }

    public List<FeatureRow> getFeatures() {
        return Collections.unmodifiableList(features);
    }

    public String getReportOnAgent() {
        return reportOnAgent;
    }

    File reportFolder() {
        return getRun() == null ? null : new File(getRun().getRootDir(), folder);
    }

    /** {@code <action>/report}: the self-contained drift.html, sandboxed. */
    public HttpResponse doReport() {
        return serve(DriftReports.HTML_FILE, "text/html;charset=UTF-8");
    }

    /** {@code <action>/json}: drift.json (schema {@code mlops.drift/v1}). */
    public HttpResponse doJson() {
        return serve(DriftReports.JSON_FILE, "application/json;charset=UTF-8");
    }

    private HttpResponse serve(String fileName, String contentType) {
        return SandboxedReport.serve(reportFolder(), fileName, contentType, "The report of this drift check is no longer kept with the build");
    }

    /** One line of the per-feature table, formatted. */
    public static final class FeatureRow {
        private final String feature;
        private final String method;
        private final String statistic;
        private final String pValue;
        private final String score;
        private final boolean drifted;

        FeatureRow(String feature, String method, String statistic, String pValue, String score, boolean drifted) {
            this.feature = feature;
            this.method = method;
            this.statistic = statistic;
            this.pValue = pValue;
            this.score = score;
            this.drifted = drifted;
        }

        public String getFeature() {
            return feature;
        }

        public String getMethod() {
            return method;
        }

        public String getStatistic() {
            return statistic;
        }

        public String getPValue() {
            return pValue;
        }

        public String getScore() {
            return score;
        }

        public boolean isDrifted() {
            return drifted;
        }
    }
}
