package dev.mlops.error;

public class StorageUnavailableException extends MlopsException {
    public StorageUnavailableException(String message) {
        super(ErrorCode.STORAGE_UNAVAILABLE, message);
    }

    public StorageUnavailableException(String message, Throwable cause) {
        super(ErrorCode.STORAGE_UNAVAILABLE, message, cause);
    }
}
