package dev.mlops.jenkins.evaluate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mlops.jenkins.support.TestStepContext;
import dev.mlops.workflow.EvaluateCandidate;
import hudson.EnvVars;
import hudson.FilePath;
import hudson.model.Run;
import hudson.model.TaskListener;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jenkinsci.plugins.workflow.steps.MissingContextVariableException;
import org.junit.jupiter.api.Test;

class MlopsEvaluateStepDescriptorTest {
    private final MlopsEvaluateStep.DescriptorImpl descriptor = new MlopsEvaluateStep.DescriptorImpl();

    @Test
    void functionNameIsMlopsEvaluate() {
        assertEquals("mlopsEvaluate", descriptor.getFunctionName());
        assertTrue(descriptor.getFunctionName().matches("[a-z][A-Za-z0-9_]*"));
        assertEquals(MlopsEvaluateStep.class, descriptor.clazz);
    }

    @Test
    void requiresWorkspaceSoItMustRunInsideNode() {
        assertEquals(Set.of(Run.class, FilePath.class, TaskListener.class, EnvVars.class), descriptor.getRequiredContext());
        TestStepContext outsideNode = new TestStepContext().with(EnvVars.class, new EnvVars()).with(TaskListener.class, TaskListener.NULL);
        assertThrows(MissingContextVariableException.class, () -> descriptor.checkContextAvailability(outsideNode));
    }

    @Test
    void bindsEveryArgumentByName() throws Exception {
        MlopsEvaluateStep step = (MlopsEvaluateStep) descriptor.newInstance(Map.ofEntries(
                Map.entry("candidate", "run:20260105-142233-a1b2c3"),
                Map.entry("holdout", "data/holdout.csv"),
                Map.entry("model", "churn"),
                Map.entry("baseline", "churn:3"),
                Map.entry("label", "churned"),
                Map.entry("slices", List.of("region", "plan")),
                Map.entry("gate", "gate.json"),
                Map.entry("reportDir", "reports"),
                Map.entry("registry", "azblob://models/registry"),
                Map.entry("runsDir", "/var/runs"),
                Map.entry("failOnInconclusive", true)));

        EvaluateCandidate.Input input = step.toArgs().toInput();
        assertEquals("run:20260105-142233-a1b2c3", input.candidate());
        assertEquals("data/holdout.csv", input.holdout());
        assertEquals("churn", input.model());
        assertEquals("churn:3", input.baseline());
        assertEquals("churned", input.labelColumn());
        assertEquals(List.of("region", "plan"), input.sliceColumns());
        assertEquals("gate.json", input.gateFile());
        assertEquals("reports", input.reportDir());
        assertEquals("azblob://models/registry", input.registry());
        assertEquals("/var/runs", input.runsDir());
        assertNull(input.candidatePredictions());
        assertTrue(step.isFailOnInconclusive());
    }

    @Test
    void defaultsLeaveTheBaselineToTheModelsProductionAliasAndInconclusiveUnstable() throws Exception {
        MlopsEvaluateStep step = (MlopsEvaluateStep) descriptor.newInstance(Map.of("candidate", "m", "holdout", "h.csv"));
        assertNull(step.toArgs().baseline());
        assertFalse(step.isFailOnInconclusive());
        assertEquals(List.of(), step.getSlices());
    }

    @Test
    void unknownArgumentIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> descriptor.newInstance(Map.of("candidate", "m", "holdout", "h.csv", "failOnFail", false)));
        assertTrue(e.getMessage().contains("failOnFail"), e.getMessage());
    }
}
