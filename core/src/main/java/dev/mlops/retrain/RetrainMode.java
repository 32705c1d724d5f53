package dev.mlops.retrain;

import dev.mlops.error.InvalidInputException;
import java.util.Locale;

/** {@code retrain.mode} of mlops.yaml. */
public enum RetrainMode {
    /** Send the request. */
    TRIGGER,
    /** Log and audit what would be sent; send nothing. */
    DRY_RUN,
    /** Record that a human must decide; send nothing. */
    PAUSE;

    public static RetrainMode parse(String value) {
        if (value != null) {
            for (RetrainMode mode : values()) {
                if (mode.name().equalsIgnoreCase(value.trim().replace('-', '_'))) {
                    return mode;
                }
            }
        }
        throw new InvalidInputException("retrain mode: '" + value + "' is not one of trigger, dry_run, pause");
    }

    public String yamlName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
