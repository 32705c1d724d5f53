package dev.mlops.evaluate;

import dev.mlops.error.InvalidInputException;
import java.util.List;

/** A gate configuration with one or more problems, each prefixed with its path. */
public class GateConfigException extends InvalidInputException {
    private final List<String> problems;

    public GateConfigException(String source, List<String> problems) {
        super("gate config " + source + " has " + problems.size() + (problems.size() == 1 ? " problem: " : " problems: ")
                + String.join("; ", problems));
        this.problems = List.copyOf(problems);
    }

    /** Every problem found, e.g. {@code gate.metrics[1].min_relative_change: must be a number}. */
    public List<String> problems() {
        return problems;
    }
}
