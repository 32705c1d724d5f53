package dev.mlops.cli;

import dev.mlops.audit.AuditEvent;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;

/** Human-readable output. Machines use --json instead. */
final class Render {
    private Render() {
    }

    @SuppressWarnings("unchecked")
    static void versionDocument(PrintStream out, Map<String, Object> doc) {
        List<Map<String, Object>> files = (List<Map<String, Object>>) doc.get("files");
        long bytes = files.stream().mapToLong(f -> ((Number) f.get("sizeBytes")).longValue()).sum();
        out.printf("%s  (%d file%s, %s) in %s%n", doc.get("ref"), files.size(), files.size() == 1 ? "" : "s", size(bytes), doc.get("registry"));
        List<String> aliases = (List<String>) doc.get("aliases");
        out.printf("  aliases:  %s%s%n", aliases.isEmpty() ? "-" : String.join(", ", aliases),
                Boolean.TRUE.equals(doc.get("archived")) ? "  [archived]" : "");
        out.printf("  format:   %s%n", doc.get("format"));
        out.printf("  created:  %s by %s%n", doc.get("createdAt"), doc.get("createdBy"));
        Map<String, Object> metrics = (Map<String, Object>) doc.get("metrics");
        if (!metrics.isEmpty()) {
            out.printf("  metrics:  %s%n", join(metrics));
        }
        Map<String, Object> params = (Map<String, Object>) doc.get("params");
        if (!params.isEmpty()) {
            out.printf("  params:   %s%n", join(params));
        }
        Map<String, Object> tags = (Map<String, Object>) doc.get("tags");
        if (!tags.isEmpty()) {
            out.printf("  tags:     %s%n", join(tags));
        }
        for (Map<String, Object> file : files) {
            out.printf("  file:     %s  sha256:%s  %s%n", file.get("path"), file.get("sha256"), size(((Number) file.get("sizeBytes")).longValue()));
        }
        Map<String, Object> lineage = (Map<String, Object>) doc.get("lineage");
        if (lineage != null) {
            lineage(out, lineage);
        }
    }

    @SuppressWarnings("unchecked")
    static void lineage(PrintStream out, Map<String, Object> lineage) {
        Map<String, Object> git = (Map<String, Object>) lineage.get("git");
        if (git != null) {
            out.printf("  git:      %s on %s%s%s%n", git.get("commit"), git.get("branch"),
                    Boolean.TRUE.equals(git.get("dirty")) ? " (uncommitted changes)" : " (clean)",
                    git.get("remoteUrl") != null ? " from " + git.get("remoteUrl") : "");
        } else {
            out.println("  git:      - (not a git repository)");
        }
        for (Map<String, Object> dataset : (List<Map<String, Object>>) lineage.getOrDefault("datasets", List.of())) {
            out.printf("  data:     %s  sha256:%s  %s%s%n", dataset.get("path"), dataset.get("sha256"),
                    size(((Number) dataset.get("sizeBytes")).longValue()),
                    dataset.get("rows") != null ? ", " + dataset.get("rows") + " rows" : "");
        }
        Map<String, Object> build = (Map<String, Object>) lineage.get("build");
        if (build != null) {
            out.printf("  build:    %s%s%s%s%n", build.get("system"), build.get("job") != null ? " " + build.get("job") : "",
                    build.get("number") != null ? " #" + build.get("number") : "", build.get("url") != null ? " " + build.get("url") : "");
        }
        if (lineage.get("runId") != null) {
            out.printf("  run:      %s%n", lineage.get("runId"));
        }
        out.printf("  by:       %s at %s%n", lineage.get("user"), lineage.get("capturedAt"));
    }

    static void auditEvent(PrintStream out, AuditEvent e) {
        out.printf("#%-5d %s  %-12s %-28s by %s%s%s%s%n", e.seq(), e.at(), e.action(), e.target(), e.actor(),
                e.reason() != null ? "  why: " + e.reason() : "",
                e.build() != null && !e.build().equals("local") ? "  build: " + e.build() : "",
                e.details().isEmpty() ? "" : "  " + join(e.details()));
    }

    static String join(Map<String, ?> map) {
        StringBuilder text = new StringBuilder();
        map.forEach((k, v) -> text.append(text.length() == 0 ? "" : ", ").append(k).append('=').append(v));
        return text.toString();
    }

    static String size(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        if (bytes < 1024 * 1024) {
            return String.format("%.1f KiB", bytes / 1024.0);
        }
        return String.format("%.1f MiB", bytes / (1024.0 * 1024));
    }
}
