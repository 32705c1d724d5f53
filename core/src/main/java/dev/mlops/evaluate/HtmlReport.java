package dev.mlops.evaluate;

import dev.mlops.evaluate.EvaluationReport.ClassReport;
import dev.mlops.evaluate.EvaluationReport.ConfusionMatrix;
import dev.mlops.evaluate.EvaluationReport.MetricComparison;
import dev.mlops.evaluate.EvaluationReport.ModelReport;
import dev.mlops.evaluate.EvaluationReport.SliceReport;
import dev.mlops.evaluate.Verdict.MetricDecision;
import dev.mlops.evaluate.Verdict.SliceDecision;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Renders one self-contained HTML page: no scripts, no external assets, every text escaped. The
 * markup is also well-formed XML (void elements self-closed), so it can be checked by a parser.
 */
final class HtmlReport {
    /** More classes than this: the page shows the first ones and points to the JSON for the rest. */
    static final int MAX_ROC_PANELS = 12;
    static final int MAX_MATRIX_CLASSES = 30;
    private static final String CANDIDATE_COLOR = "#1f6fb4";
    private static final String BASELINE_COLOR = "#d9730d";
    private static final String STYLE = String.join("\n",
            "body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;margin:24px;color:#1b1b1b;max-width:1100px}",
            "h1{margin:0 0 4px 0;font-size:28px}h2{margin-top:32px;font-size:20px}",
            ".verdict{padding:16px 20px;border-radius:6px;border:1px solid}",
            ".pass{background:#e8f5e9;border-color:#2e7d32}.fail{background:#fdecea;border-color:#c62828}",
            ".inconclusive{background:#fff8e1;border-color:#f9a825}.error{background:#ede7f6;border-color:#5e35b1}",
            ".note{background:#eef3fb;border-left:4px solid #1f6fb4;padding:8px 12px}",
            "table{border-collapse:collapse;margin:8px 0}td,th{border:1px solid #ccc;padding:4px 8px;text-align:right}",
            "th{background:#f3f3f3}td.l,th.l{text-align:left}tr.worst td{background:#fdecea;font-weight:600}",
            ".o-PASS{color:#2e7d32;font-weight:600}.o-FAIL{color:#c62828;font-weight:600}",
            ".o-INCONCLUSIVE{color:#a86b00;font-weight:600}.o-ERROR{color:#5e35b1;font-weight:600}",
            ".row{display:flex;flex-wrap:wrap;gap:24px}.muted{color:#666}",
            "svg text{font-family:system-ui,sans-serif;font-size:11px}");

    private final EvaluationReport report;
    private final StringBuilder out = new StringBuilder(16 * 1024);

    HtmlReport(EvaluationReport report) {
        this.report = report;
    }

    String render() {
        out.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n<title>Evaluation: ")
                .append(esc(report.candidate().name()));
        if (report.baseline() != null) {
            out.append(" vs ").append(esc(report.baseline().name()));
        }
        out.append(" — ").append(esc(report.verdict().outcome().name())).append("</title>\n<style>\n").append(STYLE)
                .append("\n</style>\n</head>\n<body>\n");
        verdict();
        summary();
        metrics();
        roc();
        confusion();
        slices();
        out.append("<p class=\"muted\">Schema ").append(esc(report.schema())).append(", generated ")
                .append(esc(String.valueOf(report.generatedAt()))).append(".</p>\n</body>\n</html>\n");
        return out.toString();
    }

    private void verdict() {
        Verdict v = report.verdict();
        out.append("<div class=\"verdict ").append(v.outcome().name().toLowerCase(Locale.ROOT)).append("\">\n<h1>")
                .append(esc(v.outcome().name())).append("</h1>\n<p>").append(esc(v.reason())).append("</p>\n</div>\n");
        if (report.firstModel()) {
            Object policy = report.gate() == null ? null : report.gate().get("first_model_policy");
            out.append("<p class=\"note\">First model: there is no baseline to compare with, so no deltas or intervals "
                    + "were computed and the verdict follows first_model_policy=").append(esc(String.valueOf(policy)))
                    .append(". The candidate's own metrics are below.</p>\n");
        }
    }

    private void summary() {
        out.append("<h2>Models</h2>\n<table>\n<tr><th class=\"l\">Role</th><th class=\"l\">Name</th><th class=\"l\">Source</th></tr>\n");
        modelRow("candidate", report.candidate());
        if (report.baseline() != null) {
            modelRow("baseline", report.baseline());
        }
        out.append("</table>\n<p>Task ").append(esc(report.task())).append(", ").append(report.rows())
                .append(" holdout rows from <code>").append(esc(report.holdout())).append("</code>, label column <code>")
                .append(esc(report.labelColumn())).append("</code>");
        if (!report.classes().isEmpty()) {
            out.append(", classes ").append(esc(String.join(", ", report.classes())));
        }
        out.append(".</p>\n");
    }

    private void modelRow(String role, ModelReport m) {
        out.append("<tr><td class=\"l\">").append(role).append("</td><td class=\"l\">").append(esc(m.name()))
                .append("</td><td class=\"l\">").append(esc(m.source())).append("</td></tr>\n");
    }

    private void metrics() {
        Map<Metric, MetricDecision> decisions = new LinkedHashMap<>();
        for (MetricDecision d : report.verdict().metrics()) {
            decisions.put(d.metric(), d);
        }
        out.append("<h2>Metrics</h2>\n<table>\n<tr><th class=\"l\">Metric</th><th class=\"l\">Better</th><th>Candidate</th>");
        if (report.baseline() != null) {
            out.append("<th>Baseline</th><th>Delta</th><th>Relative improvement</th><th>Interval of delta</th><th class=\"l\">Gate</th>");
        }
        out.append("</tr>\n");
        if (report.baseline() == null) {
            for (Metric m : Metric.forTask(report.task())) {
                out.append("<tr><td class=\"l\">").append(esc(m.label())).append("</td><td class=\"l\">")
                        .append(m.direction() == Direction.HIGHER_IS_BETTER ? "higher" : "lower").append("</td><td>")
                        .append(num(report.candidate().metric(m))).append("</td></tr>\n");
            }
            out.append("</table>\n");
            return;
        }
        for (MetricComparison c : report.comparisons()) {
            MetricDecision d = decisions.get(c.metric());
            out.append("<tr><td class=\"l\">").append(esc(c.metric().label())).append("</td><td class=\"l\">")
                    .append(c.direction() == Direction.HIGHER_IS_BETTER ? "higher" : "lower").append("</td><td>")
                    .append(num(c.candidate())).append("</td><td>").append(num(c.baseline())).append("</td><td>")
                    .append(signed(c.delta())).append("</td><td>")
                    .append(c.relativeChange() == null ? "—" : esc(String.format(Locale.ROOT, "%+.2f%%", c.relativeChange() * 100)))
                    .append("</td><td>");
            if (c.interval() == null || c.interval().lower() == null) {
                out.append("—");
            } else {
                out.append("[").append(signed(c.interval().lower())).append(", ").append(signed(c.interval().upper()))
                        .append("] ").append(esc(String.format(Locale.ROOT, "%.0f%%", c.interval().level() * 100)));
            }
            out.append("</td><td class=\"l\">");
            if (d == null) {
                out.append("<span class=\"muted\">not gated</span>");
            } else {
                out.append("<span class=\"o-").append(d.outcome().name()).append("\">").append(d.outcome().name())
                        .append("</span> ").append(esc(d.reason()));
            }
            out.append("</td></tr>\n");
        }
        out.append("</table>\n");
        List<EvaluationReport.Interval> intervals = report.comparisons().stream().map(MetricComparison::interval)
                .filter(i -> i != null).toList();
        if (!intervals.isEmpty()) {
            out.append("<p class=\"muted\">Intervals of the delta: percentile, ").append(intervals.get(0).resamples())
                    .append(" resamples, seed ").append(intervals.get(0).seed()).append("; ")
                    .append(esc(String.join("; ", intervals.stream().map(EvaluationReport.Interval::method).distinct().toList())))
                    .append(". Relative improvement is (candidate − baseline) / |baseline| in the better direction.</p>\n");
        }
        if (report.mcnemar() != null) {
            McNemarTest.Result r = report.mcnemar();
            out.append("<p>McNemar (accuracy): candidate-only correct ").append(r.candidateOnlyCorrect())
                    .append(", baseline-only correct ").append(r.baselineOnlyCorrect()).append(", ")
                    .append(esc(r.method().id())).append(", p = ").append(esc(String.format(Locale.ROOT, "%.4g", r.pValue())))
                    .append(".</p>\n");
        }
    }

    private void roc() {
        List<RocCurve> candidate = report.candidate().rocCurves();
        if (candidate.isEmpty()) {
            return;
        }
        List<RocCurve> baseline = report.baseline() == null ? List.of() : report.baseline().rocCurves();
        out.append("<h2>ROC curves</h2>\n");
        if (candidate.size() > 1) {
            out.append("<p class=\"muted\">One-vs-rest, one panel per class");
            if (candidate.size() > MAX_ROC_PANELS) {
                out.append("; the first ").append(MAX_ROC_PANELS).append(" of ").append(candidate.size())
                        .append(" are shown, all are in evaluation.json");
            }
            out.append(".</p>\n");
        }
        out.append("<div class=\"row\">\n");
        for (int i = 0; i < Math.min(candidate.size(), MAX_ROC_PANELS); i++) {
            RocCurve b = i < baseline.size() ? baseline.get(i) : null;
            rocSvg(candidate.get(i), b);
        }
        out.append("</div>\n");
    }

    private void rocSvg(RocCurve candidate, RocCurve baseline) {
        int size = 320;
        int m = 40;
        int plot = size - 2 * m;
        out.append("<svg width=\"").append(size).append("\" height=\"").append(size + 30)
                .append("\" viewBox=\"0 0 ").append(size).append(' ').append(size + 30).append("\" role=\"img\" aria-label=\"ROC curve for class ")
                .append(esc(candidate.positiveClass())).append("\">\n");
        out.append("<text x=\"").append(m).append("\" y=\"16\" font-weight=\"600\">Positive class: ")
                .append(esc(candidate.positiveClass())).append("</text>\n");
        out.append("<rect x=\"").append(m).append("\" y=\"").append(m).append("\" width=\"").append(plot).append("\" height=\"")
                .append(plot).append("\" fill=\"none\" stroke=\"#999\"/>\n");
        out.append("<line x1=\"").append(m).append("\" y1=\"").append(m + plot).append("\" x2=\"").append(m + plot)
                .append("\" y2=\"").append(m).append("\" stroke=\"#bbb\" stroke-dasharray=\"4 4\"/>\n");
        for (int t = 0; t <= 4; t++) {
            double f = t / 4.0;
            int x = (int) Math.round(m + f * plot);
            int y = (int) Math.round(m + (1 - f) * plot);
            out.append("<text x=\"").append(x).append("\" y=\"").append(m + plot + 14).append("\" text-anchor=\"middle\">")
                    .append(String.format(Locale.ROOT, "%.2f", f)).append("</text>\n");
            out.append("<text x=\"").append(m - 4).append("\" y=\"").append(y + 4).append("\" text-anchor=\"end\">")
                    .append(String.format(Locale.ROOT, "%.2f", f)).append("</text>\n");
        }
        out.append("<text x=\"").append(m + plot / 2).append("\" y=\"").append(m + plot + 30)
                .append("\" text-anchor=\"middle\">false positive rate</text>\n");
        out.append("<text x=\"12\" y=\"").append(m + plot / 2).append("\" text-anchor=\"middle\" transform=\"rotate(-90 12 ")
                .append(m + plot / 2).append(")\">true positive rate</text>\n");
        polyline(baseline, m, plot, BASELINE_COLOR, "5 3");
        polyline(candidate, m, plot, CANDIDATE_COLOR, null);
        int ly = size + 2;
        legend(m, ly, CANDIDATE_COLOR, null, "candidate " + report.candidate().name(), candidate);
        if (baseline != null) {
            legend(m, ly + 16, BASELINE_COLOR, "5 3", "baseline " + report.baseline().name(), baseline);
        }
        out.append("</svg>\n");
    }

    private void polyline(RocCurve curve, int m, int plot, String color, String dash) {
        if (curve == null || curve.points().isEmpty()) {
            return;
        }
        out.append("<polyline fill=\"none\" stroke=\"").append(color).append("\" stroke-width=\"2\"");
        if (dash != null) {
            out.append(" stroke-dasharray=\"").append(dash).append('"');
        }
        out.append(" points=\"");
        for (RocCurve.Point p : curve.points()) {
            out.append(String.format(Locale.ROOT, "%.1f,%.1f ", m + p.fpr() * plot, m + (1 - p.tpr()) * plot));
        }
        out.append("\"/>\n");
    }

    private void legend(int x, int y, String color, String dash, String label, RocCurve curve) {
        out.append("<line x1=\"").append(x).append("\" y1=\"").append(y - 4).append("\" x2=\"").append(x + 20).append("\" y2=\"")
                .append(y - 4).append("\" stroke=\"").append(color).append("\" stroke-width=\"2\"");
        if (dash != null) {
            out.append(" stroke-dasharray=\"").append(dash).append('"');
        }
        out.append("/>\n<text x=\"").append(x + 26).append("\" y=\"").append(y).append("\">").append(esc(label))
                .append(" (AUC ").append(curve.auc() == null ? "undefined" : String.format(Locale.ROOT, "%.4f", curve.auc()))
                .append(")</text>\n");
    }

    private void confusion() {
        if (report.candidate().confusionMatrix() == null) {
            return;
        }
        if (report.classes().size() > MAX_MATRIX_CLASSES) {
            out.append("<h2>Confusion matrices</h2>\n<p class=\"muted\">").append(report.classes().size())
                    .append(" classes are too many to show here; both matrices are in evaluation.json.</p>\n");
            return;
        }
        out.append("<h2>Confusion matrices</h2>\n<p class=\"muted\">Rows: true class; columns: predicted class.</p>\n<div class=\"row\">\n");
        matrix("candidate " + report.candidate().name(), report.candidate());
        if (report.baseline() != null) {
            matrix("baseline " + report.baseline().name(), report.baseline());
        }
        out.append("</div>\n");
    }

    private void matrix(String title, ModelReport model) {
        ConfusionMatrix cm = model.confusionMatrix();
        long max = 1;
        for (List<Long> row : cm.counts()) {
            for (long v : row) {
                max = Math.max(max, v);
            }
        }
        out.append("<div>\n<h3>").append(esc(title)).append("</h3>\n<table>\n<tr><th class=\"l\">true \\ predicted</th>");
        for (String c : cm.classes()) {
            out.append("<th>").append(esc(c)).append("</th>");
        }
        out.append("<th>recall</th></tr>\n");
        for (int i = 0; i < cm.classes().size(); i++) {
            out.append("<tr><th class=\"l\">").append(esc(cm.classes().get(i))).append("</th>");
            for (int j = 0; j < cm.classes().size(); j++) {
                long v = cm.counts().get(i).get(j);
                double alpha = 0.08 + 0.6 * v / max;
                String rgb = i == j ? "46,125,50" : "198,40,40";
                out.append("<td style=\"background:rgba(").append(rgb).append(',')
                        .append(String.format(Locale.ROOT, "%.2f", alpha)).append(")\">").append(v).append("</td>");
            }
            ClassReport cr = model.perClass().get(i);
            out.append("<td>").append(String.format(Locale.ROOT, "%.4f", cr.recall())).append("</td></tr>\n");
        }
        out.append("</table>\n</div>\n");
    }

    private void slices() {
        if (report.slices().isEmpty()) {
            return;
        }
        Map<String, SliceDecision> decisions = new LinkedHashMap<>();
        for (SliceDecision d : report.verdict().slices()) {
            decisions.put(d.column(), d);
        }
        out.append("<h2>Slices</h2>\n");
        for (String column : report.sliceColumns()) {
            SliceDecision d = decisions.get(column);
            Metric metric = d != null ? d.metric() : Metric.forTask(report.task()).get(0);
            List<SliceReport> rows = new ArrayList<>();
            for (SliceReport s : report.slices()) {
                if (s.column().equals(column)) {
                    rows.add(s);
                }
            }
            String worst = d != null ? d.worstSlice() : worstOf(rows, metric);
            out.append("<h3>").append(esc(column)).append("</h3>\n");
            if (d != null) {
                out.append("<p><span class=\"o-").append(d.outcome().name()).append("\">").append(d.outcome().name())
                        .append("</span> ").append(esc(d.reason())).append("</p>\n");
            }
            out.append("<table>\n<tr><th class=\"l\">").append(esc(column)).append("</th><th>rows</th><th>candidate ")
                    .append(esc(metric.label())).append("</th>");
            if (report.baseline() != null) {
                out.append("<th>baseline ").append(esc(metric.label())).append("</th><th>delta</th>");
            }
            out.append("</tr>\n");
            for (SliceReport s : rows) {
                boolean isWorst = s.value().equals(worst);
                Double c = s.candidate().get(metric.id());
                out.append(isWorst ? "<tr class=\"worst\">" : "<tr>").append("<td class=\"l\">")
                        .append(s.value().isEmpty() ? "<span class=\"muted\">(empty)</span>" : esc(s.value()))
                        .append(isWorst ? " (worst)" : "").append("</td><td>").append(s.rows()).append("</td><td>")
                        .append(num(c)).append("</td>");
                if (report.baseline() != null) {
                    Double b = s.baseline() == null ? null : s.baseline().get(metric.id());
                    out.append("<td>").append(num(b)).append("</td><td>")
                            .append(c == null || b == null ? "—" : signed(c - b)).append("</td>");
                }
                out.append("</tr>\n");
            }
            out.append("</table>\n");
        }
    }

    private static String worstOf(List<SliceReport> rows, Metric metric) {
        String worst = null;
        Double worstValue = null;
        for (SliceReport s : rows) {
            Double v = s.candidate().get(metric.id());
            if (v == null) {
                continue;
            }
            boolean worse = worstValue == null
                    || (metric.direction() == Direction.HIGHER_IS_BETTER ? v < worstValue : v > worstValue);
            if (worse) {
                worst = s.value();
                worstValue = v;
            }
        }
        return worst;
    }

    private static String num(Double v) {
        return v == null ? "—" : esc(Gate.fmt(v));
    }

    private static String signed(Double v) {
        return v == null ? "—" : esc(Gate.signed(v));
    }

    static String esc(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }
}
