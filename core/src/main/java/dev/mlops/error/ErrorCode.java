package dev.mlops.error;

/** Stable error codes; the CLI maps each to a documented exit code. */
public enum ErrorCode {
    INVALID_INPUT(2),
    NOT_FOUND(3),
    CONFLICT(4),
    INTEGRITY(1),
    STORAGE_UNAVAILABLE(1),
    ACCESS_DENIED(1),
    INTERNAL(1);

    private final int exitCode;

    ErrorCode(int exitCode) {
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }
}
