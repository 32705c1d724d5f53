package dev.mlops.maturity;

import dev.mlops.evaluate.ReportWriter;
import dev.mlops.json.Json;
import dev.mlops.maturity.MaturityReport.Criterion;
import dev.mlops.maturity.MaturityReport.DimensionResult;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes a {@link MaturityReport} as {@value #JSON_FILE} (schema {@value MaturityReport#SCHEMA}) and
 * {@value #HTML_FILE}: one self-contained page (inline SVG, no scripts, no external assets, every
 * text escaped, well-formed XML). Each file is written to a temporary file and renamed over the target.
 */
public final class MaturityReports {
    public static final String JSON_FILE = "maturity.json";
    public static final String HTML_FILE = "maturity.html";
    private static final String STYLE = String.join("\n",
            "body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;margin:24px;color:#1b1b1b;max-width:1100px}",
            "h1{margin:0 0 4px 0;font-size:28px}h2{margin-top:32px;font-size:20px}",
            ".verdict{padding:16px 20px;border-radius:6px;border:1px solid;background:#eef3fb;border-color:#1f6fb4}",
            ".note{background:#eef3fb;border-left:4px solid #1f6fb4;padding:8px 12px}",
            "table{border-collapse:collapse;margin:8px 0}td,th{border:1px solid #ccc;padding:4px 8px;text-align:left;vertical-align:top}",
            "th{background:#f3f3f3}.met{color:#2e7d32;font-weight:600}.unmet{color:#c62828;font-weight:600}",
            ".muted{color:#666}ul{margin:0;padding-left:18px}",
            "svg text{font-family:system-ui,sans-serif;font-size:12px}");

    private MaturityReports() {
    }

    public static List<Path> write(MaturityReport report, Path dir) {
        return ReportWriter.writePair(dir, JSON_FILE, toJson(report), HTML_FILE, toHtml(report));
    }

    public static String toJson(MaturityReport report) {
        return Json.toPrettyString(report) + "\n";
    }

    public static String toHtml(MaturityReport r) {
        StringBuilder out = new StringBuilder(8 * 1024);
        out.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n<title>MLOps maturity: Level ")
                .append(r.level()).append("</title>\n<style>\n").append(STYLE).append("\n</style>\n</head>\n<body>\n")
                .append("<div class=\"verdict\">\n<h1>Level ").append(r.level()).append(" of 4</h1>\n<p>")
                .append(esc(r.repository())).append("</p>\n");
        if (r.next() != null) {
            out.append("<p><strong>Next step</strong> (").append(esc(r.next().dimension())).append("): ").append(esc(r.next().step())).append("</p>\n");
        } else {
            out.append("<p>Every dimension is at Level 4.</p>\n");
        }
        out.append("</div>\n");
        chart(out, r.dimensions());
        for (DimensionResult d : r.dimensions()) {
            out.append("<h2>").append(esc(capitalise(d.name()))).append(": Level ").append(d.level()).append("</h2>\n");
            if (d.next() != null) {
                out.append("<p class=\"note\">").append(esc(d.next())).append("</p>\n");
            }
            out.append("<table>\n<tr><th>Level</th><th>Criterion</th><th>Met</th><th>Evidence</th></tr>\n");
            for (Criterion c : d.criteria()) {
                out.append("<tr><td>").append(c.level()).append("</td><td>").append(esc(c.name())).append("</td><td class=\"")
                        .append(c.met() ? "met\">yes" : "unmet\">no").append("</td><td><ul>");
                for (String e : c.evidence()) {
                    out.append("<li>").append(esc(e)).append("</li>");
                }
                out.append("</ul></td></tr>\n");
            }
            out.append("</table>\n");
        }
        Evidence e = r.evidence();
        out.append("<h2>What was read</h2>\n<ul>\n")
                .append("<li>Jenkinsfile: ").append(esc(e.jenkinsfile() == null ? "none" : e.jenkinsfile())).append("</li>\n")
                .append("<li>mlops.yaml: ").append(esc(e.config() == null ? "none" : e.configLevel() != null
                        ? "valid, configures level " + e.configLevel() : "invalid, " + e.configProblems().size() + " problem(s)")).append("</li>\n");
        for (String p : e.configProblems()) {
            out.append("<li class=\"muted\">").append(esc(p)).append("</li>\n");
        }
        out.append("<li>registry: ").append(esc(e.registry())).append(e.registryFound() ? "" : " (not found)").append("</li>\n")
                .append("<li>runs: ").append(e.runs()).append(" in ").append(esc(e.runsDir())).append("</li>\n")
                .append("<li>rollouts: ").append(e.rollouts()).append(" in ").append(esc(e.rolloutsDir())).append("</li>\n")
                .append("<li>drift reports: ").append(e.driftReports().size()).append("</li>\n</ul>\n")
                .append("<p class=\"muted\">Criteria: docs/maturity.md. Schema ").append(esc(r.schema())).append(", generated ")
                .append(esc(String.valueOf(r.generatedAt()))).append(".</p>\n</body>\n</html>\n");
        return out.toString();
    }

    /** One bar per dimension, 1..4. */
    private static void chart(StringBuilder out, List<DimensionResult> dimensions) {
        int rowHeight = 28;
        int labelWidth = 190;
        int unit = 90;
        int height = dimensions.size() * rowHeight + 24;
        out.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(labelWidth + 4 * unit + 20).append("\" height=\"")
                .append(height).append("\" role=\"img\" aria-label=\"level per dimension\">\n");
        for (int level = 1; level <= 4; level++) {
            int x = labelWidth + level * unit;
            out.append("<line x1=\"").append(x).append("\" y1=\"0\" x2=\"").append(x).append("\" y2=\"").append(height - 18)
                    .append("\" stroke=\"#ddd\"/>\n<text x=\"").append(x - 4).append("\" y=\"").append(height - 4).append("\">")
                    .append(level).append("</text>\n");
        }
        int y = 4;
        for (DimensionResult d : dimensions) {
            out.append("<text x=\"0\" y=\"").append(y + 15).append("\">").append(esc(d.name())).append("</text>\n")
                    .append("<rect x=\"").append(labelWidth).append("\" y=\"").append(y).append("\" width=\"").append(d.level() * unit)
                    .append("\" height=\"").append(rowHeight - 8).append("\" fill=\"").append(d.level() == 4 ? "#2e7d32" : "#1f6fb4")
                    .append("\"/>\n");
            y += rowHeight;
        }
        out.append("</svg>\n");
    }

    private static String capitalise(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    static String esc(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }
}
