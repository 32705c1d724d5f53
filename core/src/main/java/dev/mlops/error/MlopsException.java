package dev.mlops.error;

/**
 * Base of every error the engine reports to a user. The message is one line that names the
 * field or resource, the value received and the fix; it never contains a secret.
 */
public class MlopsException extends RuntimeException {
    private final ErrorCode code;

    public MlopsException(ErrorCode code, String message) {
        super(message);
        this.code = code;
    }

    public MlopsException(ErrorCode code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }
}
