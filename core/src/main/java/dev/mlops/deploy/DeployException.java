package dev.mlops.deploy;

import dev.mlops.error.ErrorCode;
import dev.mlops.error.MlopsException;

/** A deployment that could not be started or did not become ready; what was started is stopped. */
public class DeployException extends MlopsException {
    public DeployException(String message) {
        super(ErrorCode.INTERNAL, message);
    }
}
