package dev.mlops.jenkins.evaluate;

import dev.mlops.workflow.EvaluateCandidate;
import java.io.Serializable;
import java.util.List;

/** The step's arguments as plain serializable values, sent to the agent inside {@link EvaluateOnAgent}. */
record EvaluateArgs(String registry, String model, String candidate, String baseline, String holdout, String label,
                    List<String> slices, String gate, String reportDir, String runsDir) implements Serializable {

    EvaluateArgs {
        slices = List.copyOf(slices);
    }

    EvaluateCandidate.Input toInput() {
        return new EvaluateCandidate.Input(registry, model, candidate, baseline, holdout, label, slices, gate, null, null,
                reportDir, runsDir);
    }

    private static final long serialVersionUID = 1L;
}
