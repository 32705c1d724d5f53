package dev.mlops.evaluate;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** What the gate decides when there is no baseline (the first model of a name). */
public enum FirstModelPolicy {
    /** PASS, with the reason "first model: no baseline, passed by policy". The default. */
    PASS,
    /** FAIL: a baseline is required. */
    FAIL,
    /** INCONCLUSIVE: a person must approve the first model. */
    REQUIRE_APPROVAL;

    @JsonValue
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static FirstModelPolicy fromId(String id) {
        return valueOf(id.toUpperCase(Locale.ROOT));
    }
}
