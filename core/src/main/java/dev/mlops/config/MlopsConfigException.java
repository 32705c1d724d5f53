package dev.mlops.config;

import dev.mlops.error.InvalidInputException;
import java.util.List;

/** An {@code mlops.yaml} with one or more problems; {@link #problems()} lists every one with its path. */
public final class MlopsConfigException extends InvalidInputException {
    private final List<ConfigProblem> problems;

    public MlopsConfigException(String source, List<ConfigProblem> problems) {
        super(source + " has " + problems.size() + (problems.size() == 1 ? " problem: " : " problems: ")
                + String.join("; ", problems.stream().map(ConfigProblem::toString).toList()));
        this.problems = List.copyOf(problems);
    }

    public List<ConfigProblem> problems() {
        return problems;
    }
}
