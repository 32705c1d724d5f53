package dev.mlops.jenkins.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mlops.jenkins.support.TestStepContext;
import hudson.EnvVars;
import hudson.FilePath;
import hudson.Launcher;
import hudson.model.Run;
import hudson.model.TaskListener;
import java.io.File;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jenkinsci.plugins.workflow.steps.MissingContextVariableException;
import org.junit.jupiter.api.Test;

class MlopsTrainStepDescriptorTest {
    private final MlopsTrainStep.DescriptorImpl descriptor = new MlopsTrainStep.DescriptorImpl();

    @Test
    void functionNameIsMlopsTrain() {
        assertEquals("mlopsTrain", descriptor.getFunctionName());
        assertTrue(descriptor.getFunctionName().matches("[a-z][A-Za-z0-9_]*"));
        assertEquals(MlopsTrainStep.class, descriptor.clazz);
        assertEquals("Train a model and record the run (built-in MLP or your own command)", descriptor.getDisplayName());
    }

    @Test
    void requiresWorkspaceAndLauncherSoItMustRunInsideNode() {
        assertEquals(Set.of(Run.class, FilePath.class, Launcher.class, TaskListener.class, EnvVars.class),
                descriptor.getRequiredContext());
        assertTrue(descriptor.getProvidedContext().isEmpty());
        assertTrue(!descriptor.takesImplicitBlockArgument());
    }

    @Test
    void rejectsAContextOutsideNode() {
        TestStepContext outsideNode = new TestStepContext()
                .with(EnvVars.class, new EnvVars())
                .with(TaskListener.class, TaskListener.NULL);
        assertThrows(MissingContextVariableException.class, () -> descriptor.checkContextAvailability(outsideNode));
        TestStepContext workspaceButNoLauncher = new TestStepContext()
                .with(EnvVars.class, new EnvVars())
                .with(TaskListener.class, TaskListener.NULL)
                .with(FilePath.class, new FilePath(new File(".")));
        assertThrows(MissingContextVariableException.class, () -> descriptor.checkContextAvailability(workspaceButNoLauncher));
    }

    @Test
    void bindsEveryArgumentByName() throws Exception {
        MlopsTrainStep step = (MlopsTrainStep) descriptor.newInstance(Map.ofEntries(
                Map.entry("data", List.of("train.csv", "extra.csv")),
                Map.entry("trainer", "command"),
                Map.entry("command", "python3 train.py"),
                Map.entry("label", "churned"),
                Map.entry("features", List.of("age", "income")),
                Map.entry("params", Map.of("epochs", 20)),
                Map.entry("seed", 7),
                Map.entry("codePaths", List.of("train.py")),
                Map.entry("force", true),
                Map.entry("requireGpu", true),
                Map.entry("gpus", "0,1"),
                Map.entry("runsDir", "/var/mlops/runs")));

        TrainArgs args = step.toArgs();
        assertEquals("command", args.trainer());
        assertEquals("python3 train.py", args.command());
        assertEquals(List.of("train.csv", "extra.csv"), args.data());
        assertEquals(Map.of("epochs", "20", "label", "churned", "features", "age,income"), args.params());
        assertEquals(7L, args.seed());
        assertEquals(List.of("train.py"), args.codePaths());
        assertTrue(args.force());
        assertTrue(args.requireGpu());
        assertEquals("0,1", args.gpus());
        assertEquals("/var/mlops/runs", args.runsDir());
        assertEquals("nvidia-smi", args.nvidiaSmi());
    }

    @Test
    void defaultsAreTheBuiltInTrainerSeed42AndNoGpuRequirement() throws Exception {
        TrainArgs args = ((MlopsTrainStep) descriptor.newInstance(Map.of("data", List.of("train.csv")))).toArgs();
        assertEquals("djl-mlp", args.trainer());
        assertEquals(42L, args.seed());
        assertNull(args.command());
        assertNull(args.gpus());
        assertTrue(!args.force() && !args.requireGpu());
    }

    @Test
    void unknownArgumentIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> descriptor.newInstance(Map.of("data", List.of("t.csv"), "epochs", 3)));
        assertTrue(e.getMessage().contains("epochs"), e.getMessage());
    }

    @Test
    void blankTextArgumentsAreTreatedAsAbsent() throws Exception {
        MlopsTrainStep step = new MlopsTrainStep(List.of("t.csv"));
        step.setTrainer(" ");
        step.setCommand("");
        step.setGpus("  ");
        TrainArgs args = step.toArgs();
        assertEquals("djl-mlp", args.trainer());
        assertNull(args.command());
        assertNull(args.gpus());
    }
}
