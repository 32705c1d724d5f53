package dev.mlops.evaluate;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** What a metric gate asks of the candidate. */
public enum GateMode {
    /** The candidate must be better than the baseline (by the configured minimum changes). */
    SUPERIORITY,
    /** The candidate may be worse than the baseline by at most a margin. */
    NON_INFERIORITY;

    @JsonValue
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static GateMode fromId(String id) {
        return valueOf(id.toUpperCase(Locale.ROOT));
    }
}
