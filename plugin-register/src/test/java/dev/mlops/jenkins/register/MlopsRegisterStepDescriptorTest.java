package dev.mlops.jenkins.register;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mlops.jenkins.support.TestStepContext;
import hudson.EnvVars;
import hudson.FilePath;
import hudson.model.Run;
import hudson.model.TaskListener;
import java.util.List;
import java.util.Map;
import org.jenkinsci.plugins.workflow.steps.MissingContextVariableException;
import org.junit.jupiter.api.Test;

class MlopsRegisterStepDescriptorTest {
    private final MlopsRegisterStep.DescriptorImpl descriptor = new MlopsRegisterStep.DescriptorImpl();

    @Test
    void functionNameIsMlopsRegister() {
        assertEquals("mlopsRegister", descriptor.getFunctionName());
        assertTrue(descriptor.getFunctionName().matches("[a-z][A-Za-z0-9_]*"));
        assertEquals(MlopsRegisterStep.class, descriptor.clazz);
        assertEquals("Register a model version in the MLOps registry", descriptor.getDisplayName());
    }

    @Test
    void requiresWorkspaceSoItMustRunInsideNode() {
        assertEquals(java.util.Set.of(Run.class, FilePath.class, TaskListener.class, EnvVars.class),
                descriptor.getRequiredContext());
        assertTrue(descriptor.getProvidedContext().isEmpty());
    }

    @Test
    void rejectsAContextWithoutWorkspace() {
        TestStepContext outsideNode = new TestStepContext()
                .with(EnvVars.class, new EnvVars())
                .with(TaskListener.class, TaskListener.NULL);
        assertThrows(MissingContextVariableException.class, () -> descriptor.checkContextAvailability(outsideNode));
    }

    @Test
    void bindsEveryArgumentByName() throws Exception {
        MlopsRegisterStep step = (MlopsRegisterStep) descriptor.newInstance(Map.ofEntries(
                Map.entry("model", "churn"),
                Map.entry("path", "a.bin"),
                Map.entry("paths", List.of("b.bin", "c.bin")),
                Map.entry("format", "onnx"),
                Map.entry("description", "first"),
                Map.entry("metrics", Map.of("auc", 0.9)),
                Map.entry("params", Map.of("lr", 0.01)),
                Map.entry("tags", Map.of("team", "risk")),
                Map.entry("datasets", List.of("train.csv")),
                Map.entry("alias", "staging"),
                Map.entry("reason", "nightly"),
                Map.entry("registry", "azblob://models/prod")));

        RegisterArgs args = step.toArgs();
        assertEquals("churn", args.model());
        assertEquals(List.of("a.bin", "b.bin", "c.bin"), args.paths());
        assertEquals("onnx", args.format());
        assertEquals("first", args.description());
        assertEquals(Map.of("auc", "0.9"), args.metrics());
        assertEquals(Map.of("lr", "0.01"), args.params());
        assertEquals(Map.of("team", "risk"), args.tags());
        assertEquals(List.of("train.csv"), args.datasets());
        assertEquals("staging", args.alias());
        assertEquals("nightly", args.reason());
        assertEquals("azblob://models/prod", args.registry());
    }

    @Test
    void unknownArgumentIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> descriptor.newInstance(Map.of("model", "churn", "modelPath", "a.bin")));
        assertTrue(e.getMessage().contains("modelPath"), e.getMessage());
    }

    @Test
    void blankOptionalTextArgumentsAreTreatedAsAbsent() throws Exception {
        MlopsRegisterStep step = new MlopsRegisterStep("churn");
        step.setAlias("  ");
        step.setRegistry("");
        step.setPath(" a.bin ");
        RegisterArgs args = step.toArgs();
        assertEquals(null, args.alias());
        assertEquals(null, args.registry());
        assertEquals(List.of("a.bin"), args.paths());
    }
}
