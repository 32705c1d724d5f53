package dev.mlops.jenkins.evaluate;

import dev.mlops.jenkins.support.BuildPageAction;
import static dev.mlops.jenkins.support.ActionSupport.text;

import dev.mlops.evaluate.ReportWriter;


import java.io.File;



import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.kohsuke.stapler.HttpResponse;



/**
 * One evaluation, attached to the build that ran it: a page at {@code <build>/mlops-evaluation/}
 * ({@code -2}, {@code -3} ... for later ones in the same build) with the verdict and the metrics,
 * embedding the full report, and a line on the build page. The report files are kept in the build's
 * own folder ({@code <build dir>/mlops-evaluation/<n>/}) and served by {@link #doReport()} and
 * {@link #doJson()}. The HTML is core's self-contained report (inline SVG and CSS, no scripts, no
 * external assets, every value escaped); it is served with a sandboxing Content-Security-Policy
 * that allows inline styles and data: images only, and embedded in a sandboxed iframe.
 */
public class EvaluationReportAction extends BuildPageAction {
    private final int index;
    private final String folder;
    private final String outcome;
    private final String reason;
    private final boolean firstModel;
    private final String candidate;
    private final String baseline;
    private final int rows;
    private final Map<String, Double> candidateMetrics;
    private final Map<String, Double> baselineMetrics;
    private final String reportOnAgent;


    EvaluationReportAction(int index, String folder, String outcome, String reason, boolean firstModel, String candidate,
                           String baseline, int rows, Map<String, Double> candidateMetrics,
                           Map<String, Double> baselineMetrics, String reportOnAgent) {
        this.index = index;
        this.folder = folder;
        this.outcome = outcome;
        this.reason = reason;
        this.firstModel = firstModel;
        this.candidate = candidate;
        this.baseline = baseline;
        this.rows = rows;
        this.candidateMetrics = new TreeMap<>(candidateMetrics);
        this.baselineMetrics = new TreeMap<>(baselineMetrics);
        this.reportOnAgent = reportOnAgent;
    }

    /** From the summary (schema {@code mlops.evaluation-summary/v1}) as parsed from JSON. */
    static EvaluationReportAction fromSummary(Map<String, Object> summary, int index, String folder) {
        return new EvaluationReportAction(index, folder, text(summary.get("outcome")), text(summary.get("reason")),
                Boolean.TRUE.equals(summary.get("firstModel")), text(summary.get("candidate")), text(summary.get("baseline")),
                summary.get("rows") instanceof Number n ? n.intValue() : 0, numbers(summary.get("candidateMetrics")),
                numbers(summary.get("baselineMetrics")), text(summary.get("report")));
    }

    private static Map<String, Double> numbers(Object o) {
        Map<String, Double> out = new TreeMap<>();
        if (o instanceof Map<?, ?> m) {
            m.forEach((k, v) -> {
                if (v instanceof Number n) {
                    out.put(String.valueOf(k), n.doubleValue());
                }
            });
        }
        return out;
    }

    @Override
    public String getIconFileName() {
        return Messages.ACTION_ICON;
    }

    @Override
    public String getDisplayName() {
        return Messages.actionDisplayName(outcome, index);
    }

    /** {@code mlops-evaluation}, then {@code mlops-evaluation-2} ... when one build evaluates several times. */
    @Override
    public String getUrlName() {
        return index > 1 ? Messages.URL_NAME + "-" + index : Messages.URL_NAME;
    }

    public int getIndex() {
        return index;
    }

    public String getOutcome() {
        return outcome;
    }

    public String getReason() {
        return reason;
    }

    /** "OUTCOME: reason", without repeating the outcome when the reason starts with it. */
    public String getHeadline() {
        return Messages.headline(outcome, reason);
    }

    public boolean isPassed() {
        return "PASS".equals(outcome);
    }

    /** INCONCLUSIVE: the build is UNSTABLE and a person has to decide. */
    public boolean isNeedsDecision() {
        return "INCONCLUSIVE".equals(outcome);
    }

    public boolean isFirstModel() {
        return firstModel;
    }

    public String getCandidate() {
        return candidate;
    }

    public String getBaseline() {
        return baseline;
    }

    public int getRows() {
        return rows;
    }

    public Map<String, Double> getCandidateMetrics() {
        return Collections.unmodifiableMap(candidateMetrics);
    }

    public Map<String, Double> getBaselineMetrics() {
        return Collections.unmodifiableMap(baselineMetrics);
    }

    public String getReportOnAgent() {
        return reportOnAgent;
    }

    /** One row per metric of either model: candidate, baseline and the difference, formatted ("" when absent). */
    public List<MetricRow> getMetricRows() {
        Set<String> names = new LinkedHashSet<>(candidateMetrics.keySet());
        names.addAll(baselineMetrics.keySet());
        List<MetricRow> out = new ArrayList<>();
        for (String name : names) {
            Double c = candidateMetrics.get(name);
            Double b = baselineMetrics.get(name);
            out.add(new MetricRow(name, format(c), format(b), c == null || b == null ? "" : signed(c - b)));
        }
        return out;
    }

    static String format(Double value) {
        return value == null ? "" : String.format(Locale.ROOT, "%.4f", value);
    }

    static String signed(double value) {
        return String.format(Locale.ROOT, "%+.4f", value);
    }

    /** The report files' folder in the build directory, or null before the action is attached. */
    File reportFolder() {
        return getRun() == null ? null : new File(getRun().getRootDir(), folder);
    }

    /** {@code <action>/report}: the self-contained HTML report, sandboxed. */
    public HttpResponse doReport() {
        return serve(ReportWriter.HTML_FILE, "text/html;charset=UTF-8");
    }

    /** {@code <action>/json}: evaluation.json (schema {@code mlops.evaluation/v1}). */
    public HttpResponse doJson() {
        return serve(ReportWriter.JSON_FILE, "application/json;charset=UTF-8");
    }

    private HttpResponse serve(String fileName, String contentType) {
        return SandboxedReport.serve(reportFolder(), fileName, contentType, "The report of this evaluation is no longer kept with the build");
    }

    /** One line of the metrics table. */
    public static final class MetricRow {
        private final String name;
        private final String candidate;
        private final String baseline;
        private final String delta;

        MetricRow(String name, String candidate, String baseline, String delta) {
            this.name = name;
            this.candidate = candidate;
            this.baseline = baseline;
            this.delta = delta;
        }

        public String getName() {
            return name;
        }

        public String getCandidate() {
            return candidate;
        }

        public String getBaseline() {
            return baseline;
        }

        public String getDelta() {
            return delta;
        }
    }
}
