package dev.mlops.evaluate;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.mlops.error.InvalidInputException;
import java.util.Locale;

/** Which way a metric improves. */
public enum Direction {
    HIGHER_IS_BETTER,
    LOWER_IS_BETTER;

    /** The change in the metric's "better" direction: positive means the candidate is better. */
    public double improvement(double candidateMinusBaseline) {
        return this == HIGHER_IS_BETTER ? candidateMinusBaseline : -candidateMinusBaseline;
    }

    @JsonValue
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static Direction fromId(String id) {
        for (Direction d : values()) {
            if (d.id().equals(id)) {
                return d;
            }
        }
        throw new InvalidInputException("direction '" + id + "' is unknown; use higher_is_better or lower_is_better");
    }
}
