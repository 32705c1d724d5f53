package dev.mlops.error;

public class IntegrityException extends MlopsException {
    public IntegrityException(String message) {
        super(ErrorCode.INTEGRITY, message);
    }

    public IntegrityException(String message, Throwable cause) {
        super(ErrorCode.INTEGRITY, message, cause);
    }
}
