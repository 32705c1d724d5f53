package dev.mlops.maturity;

import java.util.Locale;

/** The dimensions of the maturity model; the overall level is the lowest of them. */
public enum Dimension {
    MODEL_CREATION("model creation"),
    MODEL_RELEASE("model release"),
    APPLICATION_INTEGRATION("application integration"),
    TECHNOLOGY("technology");

    private final String label;

    Dimension(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
