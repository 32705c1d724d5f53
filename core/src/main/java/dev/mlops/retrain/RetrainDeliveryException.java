package dev.mlops.retrain;

import dev.mlops.error.ErrorCode;
import dev.mlops.error.MlopsException;

/** A retrain target refused the request or stayed unreachable; the message never holds a secret. */
public class RetrainDeliveryException extends MlopsException {
    private final int status;
    private final int attempts;

    public RetrainDeliveryException(ErrorCode code, String message, int status, int attempts) {
        super(code, message);
        this.status = status;
        this.attempts = attempts;
    }

    /** The last HTTP status, 0 when no answer came. */
    public int status() {
        return status;
    }

    public int attempts() {
        return attempts;
    }
}
