package dev.mlops.error;

public class InvalidInputException extends MlopsException {
    public InvalidInputException(String message) {
        super(ErrorCode.INVALID_INPUT, message);
    }

    public InvalidInputException(String message, Throwable cause) {
        super(ErrorCode.INVALID_INPUT, message, cause);
    }
}
