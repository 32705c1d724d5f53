package dev.mlops.evaluate;

import dev.mlops.error.StorageUnavailableException;
import dev.mlops.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

/**
 * Writes an {@link EvaluationReport} for machines ({@value #JSON_FILE}, schema
 * {@value EvaluationReport#SCHEMA}) and for people ({@value #HTML_FILE}: one self-contained page,
 * inline SVG, no scripts, no external assets). Each file is written to a temporary file in the
 * same folder and renamed over the target, so readers never see half a report.
 */
public final class ReportWriter {
    public static final String JSON_FILE = "evaluation.json";
    public static final String HTML_FILE = "evaluation.html";

    private ReportWriter() {
    }

    /** Writes both files into {@code dir} (created if needed) and returns their paths (JSON, HTML). */
    public static List<Path> write(EvaluationReport report, Path dir) {
        return writePair(dir, JSON_FILE, toJson(report), HTML_FILE, toHtml(report));
    }

    /**
     * Writes a report's JSON and HTML files into {@code dir} (created if needed), each atomically
     * and readable by all (reports are archived and served); returns their paths (JSON, HTML).
     */
    public static List<Path> writePair(Path dir, String jsonFile, String json, String htmlFile, String html) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new StorageUnavailableException("cannot create report folder " + dir + ": " + e.getMessage(), e);
        }
        Path jsonPath = dir.resolve(jsonFile);
        Path htmlPath = dir.resolve(htmlFile);
        writeAtomically(jsonPath, json);
        writeAtomically(htmlPath, html);
        return List.of(jsonPath, htmlPath);
    }

    public static String toJson(EvaluationReport report) {
        return Json.toPrettyString(report) + "\n";
    }

    public static String toHtml(EvaluationReport report) {
        return new HtmlReport(report).render();
    }

    /** Reads a report written by {@link #write}. */
    public static EvaluationReport readJson(Path file) {
        try {
            return Json.fromBytes(Files.readAllBytes(file), EvaluationReport.class);
        } catch (IOException e) {
            throw new StorageUnavailableException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** Temporary files are created owner-only; reports are archived and served, so open them up. */
    private static void readableByAll(Path file) throws IOException {
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: the platform's defaults apply
        }
    }

    private static void writeAtomically(Path target, String content) {
        Path temp = null;
        try {
            temp = Files.createTempFile(target.getParent(), "." + target.getFileName(), ".tmp");
            Files.writeString(temp, content, StandardCharsets.UTF_8);
            readableByAll(temp);
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new StorageUnavailableException("cannot write " + target + ": " + e.getMessage(), e);
        } finally {
            if (temp != null) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException ignored) {
                    // the rename succeeded or the write already failed; nothing more to report
                }
            }
        }
    }
}
