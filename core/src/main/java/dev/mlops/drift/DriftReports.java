package dev.mlops.drift;

import dev.mlops.evaluate.ReportWriter;
import dev.mlops.error.StorageUnavailableException;
import dev.mlops.json.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Writes a {@link DriftReport} as {@value #JSON_FILE} and a self-contained {@value #HTML_FILE} (inline SVG,
 * no scripts, no external assets), each through a temporary file renamed over the target.
 */
public final class DriftReports {
    public static final String JSON_FILE = "drift.json";
    public static final String HTML_FILE = "drift.html";
    private static final String REFERENCE_COLOR = "#1f6fb4";
    private static final String CURRENT_COLOR = "#d9730d";
    private static final String STYLE = String.join("\n",
            "body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;margin:24px;color:#1b1b1b;max-width:1100px}",
            "h1{margin:0 0 4px 0;font-size:28px}h2{margin-top:32px;font-size:20px}h3{margin:20px 0 4px 0;font-size:16px}",
            ".verdict{padding:16px 20px;border-radius:6px;border:1px solid}",
            ".pass{background:#e8f5e9;border-color:#2e7d32}.fail{background:#fdecea;border-color:#c62828}",
            ".note{background:#eef3fb;border-left:4px solid #1f6fb4;padding:8px 12px}",
            "table{border-collapse:collapse;margin:8px 0}td,th{border:1px solid #ccc;padding:4px 8px;text-align:right}",
            "th{background:#f3f3f3}td.l,th.l{text-align:left}tr.drift td{background:#fdecea}",
            ".o-drift{color:#c62828;font-weight:600}.o-ok{color:#2e7d32;font-weight:600}.muted{color:#666}",
            "svg text{font-family:system-ui,sans-serif;font-size:11px}");

    private DriftReports() {
    }

    /** Writes both files into {@code dir} (created if needed); returns (JSON, HTML). */
    public static List<Path> write(DriftReport report, Path dir) {
        return ReportWriter.writePair(dir, JSON_FILE, Json.toPrettyString(report) + "\n", HTML_FILE, html(report));
    }

    public static DriftReport readJson(Path file) {
        try {
            return Json.fromBytes(Files.readAllBytes(file), DriftReport.class);
        } catch (IOException e) {
            throw new StorageUnavailableException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    public static String html(DriftReport r) {
        StringBuilder out = new StringBuilder(32 * 1024);
        String title = (r.model() == null ? "data" : r.model() + (r.version() == null ? "" : ":" + r.version()));
        out.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n<title>Drift: ")
                .append(esc(title)).append(" — ").append(r.drifted() ? "DRIFT" : "NO DRIFT").append("</title>\n<style>\n")
                .append(STYLE).append("\n</style>\n</head>\n<body>\n");
        out.append("<div class=\"verdict ").append(r.drifted() ? "fail" : "pass").append("\">\n<h1>")
                .append(r.drifted() ? "DRIFT" : "NO DRIFT").append("</h1>\n<p>").append(r.driftedFeatures()).append(" of ")
                .append(r.evaluatedFeatures()).append(" features drifted (").append(pct(r.driftedShare())).append("; the dataset drifts at ")
                .append(pct(r.settings().driftShare())).append(")");
        if (r.prediction() != null) {
            out.append("; prediction ").append(r.prediction().drifted() ? "drifted" : "stable");
        }
        out.append(".</p>\n</div>\n");
        out.append("<table>\n");
        row(out, "model", title);
        row(out, "reference", r.referenceSource() + " (" + r.referenceRows() + " rows)");
        row(out, "current", r.currentSource() + " (" + r.currentRows() + " rows)");
        if (r.since() != null || r.until() != null) {
            row(out, "window", (r.since() == null ? "…" : r.since().toString()) + " to " + (r.until() == null ? "…" : r.until().toString()));
        }
        row(out, "method", r.settings().method() + ", correction " + r.settings().correction() + ", alpha " + r.settings().alpha()
                + ", psi " + r.settings().psiThreshold() + ", wasserstein " + r.settings().wassersteinThreshold()
                + ", jensen_shannon " + r.settings().jensenShannonThreshold() + ", small sample ≤ " + r.settings().smallSample());
        out.append("</table>\n");
        for (String note : r.notes()) {
            out.append("<p class=\"note\">").append(esc(note)).append("</p>\n");
        }
        out.append("<h2>Features, by drift score</h2>\n<table>\n<tr><th class=\"l\">feature</th><th class=\"l\">type</th>")
                .append("<th class=\"l\">method</th><th>value</th><th>p (adjusted)</th><th>threshold</th><th>score</th><th>PSI</th>")
                .append("<th>missing ref → cur</th><th>out of range</th><th>new values</th><th class=\"l\">drift</th></tr>\n");
        for (FeatureDrift f : r.features()) {
            tableRow(out, f);
        }
        if (r.prediction() != null) {
            tableRow(out, r.prediction());
        }
        out.append("</table>\n<p class=\"muted\">Score ≥ 1 means drift: value ÷ threshold for distances, ln p ÷ ln alpha for tests. ")
                .append("Jensen–Shannon distance uses the natural logarithm (as scipy); Wasserstein is divided by the reference standard deviation.</p>\n");
        out.append("<h2>Distributions</h2>\n<p><span style=\"color:").append(REFERENCE_COLOR).append("\">■</span> reference ")
                .append("<span style=\"color:").append(CURRENT_COLOR).append("\">■</span> current (share of rows per bin)</p>\n");
        for (FeatureDrift f : r.features()) {
            histogram(out, f);
        }
        if (r.prediction() != null) {
            histogram(out, r.prediction());
        }
        out.append("<p class=\"muted\">Schema ").append(esc(r.schema())).append(", generated ").append(esc(String.valueOf(r.generatedAt())))
                .append(".</p>\n</body>\n</html>\n");
        return out.toString();
    }

    private static void tableRow(StringBuilder out, FeatureDrift f) {
        out.append("<tr").append(f.drifted() ? " class=\"drift\"" : "").append("><td class=\"l\">").append(esc(f.feature()))
                .append("</td><td class=\"l\">").append(esc(f.type())).append("</td><td class=\"l\">").append(esc(f.method()))
                .append("</td><td>").append(num(f.statistic())).append("</td><td>").append(num(f.adjustedP())).append("</td><td>")
                .append(f.method().equals(DriftSettings.NONE) ? "—" : num(f.threshold())).append("</td><td>").append(num(f.score()))
                .append("</td><td>").append(num(f.methods().get(DriftSettings.PSI))).append("</td><td>").append(pct(f.referenceMissingShare()))
                .append(" → ").append(pct(f.currentMissingShare())).append("</td><td>").append(f.belowRange() + f.aboveRange())
                .append("</td><td>").append(f.newValueRows()).append("</td><td class=\"l\"><span class=\"")
                .append(f.drifted() ? "o-drift\">drift" : "o-ok\">ok").append("</span>");
        if (f.note() != null) {
            out.append(" <span class=\"muted\">").append(esc(f.note())).append("</span>");
        }
        out.append("</td></tr>\n");
    }

    private static void histogram(StringBuilder out, FeatureDrift f) {
        List<Double> ref = f.referenceShares();
        List<Double> cur = f.currentShares();
        if (ref == null || ref.isEmpty()) {
            return;
        }
        int bins = ref.size();
        int width = 640;
        int height = 160;
        int left = 40;
        int bottom = 40;
        double max = 0;
        for (int i = 0; i < bins; i++) {
            max = Math.max(max, Math.max(ref.get(i), i < cur.size() ? cur.get(i) : 0));
        }
        max = max <= 0 ? 1 : max;
        double bw = (double) (width - left - 10) / bins;
        out.append("<h3>").append(esc(f.feature())).append(" <span class=\"").append(f.drifted() ? "o-drift\">drift" : "o-ok\">ok")
                .append("</span> <span class=\"muted\">").append(esc(f.method())).append(' ').append(num(f.statistic())).append("</span></h3>\n")
                .append("<svg width=\"").append(width).append("\" height=\"").append(height + bottom).append("\" role=\"img\" aria-label=\"")
                .append(esc(f.feature())).append(" histogram\">\n");
        out.append("<line x1=\"").append(left).append("\" y1=\"").append(height).append("\" x2=\"").append(width - 10).append("\" y2=\"")
                .append(height).append("\" stroke=\"#999\"/>\n");
        out.append("<text x=\"2\" y=\"12\">").append(pct(max)).append("</text>\n");
        for (int i = 0; i < bins; i++) {
            double x = left + i * bw;
            bar(out, x + 1, bw - 2, ref.get(i) / max * (height - 16), height, REFERENCE_COLOR);
            bar(out, x + 1, bw - 2, (i < cur.size() ? cur.get(i) : 0) / max * (height - 16), height, CURRENT_COLOR);
            if (bins <= 24 && f.binLabels() != null && i < f.binLabels().size()) {
                String label = f.binLabels().get(i);
                out.append("<text x=\"").append(fmt(x + bw / 2)).append("\" y=\"").append(height + 12)
                        .append("\" text-anchor=\"end\" transform=\"rotate(-35 ").append(fmt(x + bw / 2)).append(' ').append(height + 12)
                        .append(")\">").append(esc(label.length() > 18 ? label.substring(0, 17) + "…" : label)).append("</text>\n");
            }
        }
        out.append("</svg>\n");
    }

    private static void bar(StringBuilder out, double x, double w, double h, int base, String color) {
        out.append("<rect x=\"").append(fmt(x)).append("\" y=\"").append(fmt(base - h)).append("\" width=\"").append(fmt(Math.max(w, 1)))
                .append("\" height=\"").append(fmt(h)).append("\" fill=\"").append(color).append("\" fill-opacity=\"0.5\"/>\n");
    }

    private static void row(StringBuilder out, String key, String value) {
        out.append("<tr><th class=\"l\">").append(esc(key)).append("</th><td class=\"l\">").append(esc(value)).append("</td></tr>\n");
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    private static String num(Double v) {
        return v == null || v.isNaN() ? "—" : esc(String.format(Locale.ROOT, "%.4g", v));
    }

    private static String pct(double v) {
        return String.format(Locale.ROOT, "%.1f%%", v * 100);
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
