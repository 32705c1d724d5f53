package dev.mlops.train;

import dev.mlops.error.InvalidInputException;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A CSV file with a header row, held as text. Handles quoted fields ("a,b", "say ""hi""") and CRLF. */
final class CsvTable {
    private final Path file;
    private final List<String> header;
    private final List<String[]> rows;

    private CsvTable(Path file, List<String> header, List<String[]> rows) {
        this.file = file;
        this.header = header;
        this.rows = rows;
    }

    /** Only the header row, for checks before training. */
    static List<String> header(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new InvalidInputException("data: " + file + " is not a readable file; pass an existing CSV with --data");
        }
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line = reader.readLine();
            while (line != null && line.isBlank()) {
                line = reader.readLine();
            }
            if (line == null) {
                throw new InvalidInputException("data: " + file.getFileName() + " is empty; pass a CSV with a header row and data");
            }
            return split(line.startsWith("\uFEFF") ? line.substring(1) : line, reader, file, 1).stream().map(String::strip).toList();
        } catch (IOException e) {
            throw new InvalidInputException("data: cannot read " + file + " (" + e.getMessage() + "); check the path and permissions", e);
        }
    }

    static CsvTable read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new InvalidInputException("data: " + file + " is not a readable file; pass an existing CSV with --data");
        }
        List<String> header = null;
        List<String[]> rows = new ArrayList<>();
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            int lineNumber = 0;
            while ((line = reader.readLine()) != null) {
                lineNumber++;
                if (lineNumber == 1 && line.startsWith("\uFEFF")) {
                    line = line.substring(1);
                }
                if (line.isBlank()) {
                    continue;
                }
                List<String> fields = split(line, reader, file, lineNumber);
                if (header == null) {
                    header = fields.stream().map(String::strip).toList();
                    continue;
                }
                if (fields.size() != header.size()) {
                    throw new InvalidInputException("data: " + file.getFileName() + " line " + lineNumber + " has " + fields.size()
                            + " fields but the header has " + header.size() + "; fix the row or quote fields that contain commas");
                }
                rows.add(fields.toArray(String[]::new));
            }
        } catch (IOException e) {
            throw new InvalidInputException("data: cannot read " + file + " (" + e.getMessage() + "); check the path and permissions", e);
        }
        if (header == null || rows.isEmpty()) {
            throw new InvalidInputException("data: " + file.getFileName() + " has no data rows; pass a CSV with a header row and data");
        }
        return new CsvTable(file, header, rows);
    }

    private static List<String> split(String line, BufferedReader reader, Path file, int lineNumber) throws IOException {
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        String current = line;
        int i = 0;
        while (true) {
            if (i == current.length()) {
                if (!quoted) {
                    break;
                }
                current = reader.readLine(); // a quoted field spans lines
                if (current == null) {
                    throw new InvalidInputException("data: " + file.getFileName() + " line " + lineNumber + " has an unclosed quote; close it");
                }
                field.append('\n');
                i = 0;
                continue;
            }
            char c = current.charAt(i++);
            if (quoted) {
                if (c == '"' && i < current.length() && current.charAt(i) == '"') {
                    field.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    field.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                fields.add(field.toString());
                field.setLength(0);
            } else {
                field.append(c);
            }
        }
        fields.add(field.toString());
        return fields;
    }

    Path file() {
        return file;
    }

    List<String> header() {
        return header;
    }

    int size() {
        return rows.size();
    }

    int column(String name) {
        return header.indexOf(name);
    }

    String value(int row, int column) {
        return rows.get(row)[column].strip();
    }

    /** True when every value of the column is a finite number. */
    boolean isNumeric(int column) {
        for (String[] row : rows) {
            if (parse(row[column].strip()) == null) {
                return false;
            }
        }
        return true;
    }

    static Double parse(String text) {
        if (text.isEmpty()) {
            return null;
        }
        try {
            double value = Double.parseDouble(text);
            return Double.isFinite(value) ? value : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
