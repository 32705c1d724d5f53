package dev.mlops.config;

/**
 * One problem of an {@code mlops.yaml}: the path of the key ({@code gate.metrics[1].min_relative_change}),
 * what is wrong and the fix, and where it is in the file (1-based; 0 when unknown).
 */
public record ConfigProblem(String path, String message, int line, int column) {
    public ConfigProblem {
        path = path == null || path.isEmpty() ? MlopsConfigParser.ROOT : path;
    }

    /** {@code path: message (line L:C)}, the form the CLI prints, one per line. */
    @Override
    public String toString() {
        return path + ": " + message + (line > 0 ? " (line " + line + ":" + column + ")" : "");
    }
}
