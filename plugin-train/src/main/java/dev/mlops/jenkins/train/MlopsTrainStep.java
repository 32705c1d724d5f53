package dev.mlops.jenkins.train;

import dev.mlops.train.DjlMlpTrainer;
import dev.mlops.train.GpuProbe;
import dev.mlops.train.TrainRequest;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.AbortException;
import hudson.EnvVars;
import hudson.Extension;
import hudson.FilePath;
import hudson.Launcher;
import hudson.model.Run;
import hudson.model.TaskListener;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepDescriptor;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;

/**
 * {@code mlopsTrain}: trains a model on the agent that holds the workspace and records the run, e.g.
 * <pre>{@code
 * node('gpu') {
 *     def run = mlopsTrain data: ['data/train.csv'], label: 'churned', params: [epochs: 20], requireGpu: true
 *     echo "run ${run.id}: ${run.metrics}"
 * }
 * }</pre>
 * Arguments are only collected here; validation and the work happen in the core use case
 * ({@link dev.mlops.train.TrainingService}), run on the agent by {@link MlopsTrainStepExecution}.
 */
public class MlopsTrainStep extends Step {
    private final List<String> data;
    private String trainer = DjlMlpTrainer.ID;
    private String command;
    private String label;
    private List<String> features = List.of();
    private Map<String, Object> params = Map.of();
    private long seed = TrainRequest.DEFAULT_SEED;
    private List<String> codePaths = List.of();
    private boolean force;
    private boolean requireGpu;
    private String gpus;
    private String runsDir;
    /** The GPU probe's executable; only tests change it (a fake nvidia-smi). Not a step argument. */
    private transient String nvidiaSmi = GpuProbe.NVIDIA_SMI;

    @DataBoundConstructor
    public MlopsTrainStep(List<String> data) {
        this.data = asTextList(data);
    }

    @Override
    public StepExecution start(StepContext context) throws Exception {
        return new MlopsTrainStepExecution(this, context);
    }

    /** The arguments as plain text values; {@code label} and {@code features} become params, as on the CLI. */
    TrainArgs toArgs() throws AbortException {
        Map<String, String> all = new LinkedHashMap<>();
        params.forEach((k, v) -> all.put(k, v == null ? null : v.toString()));
        if (label != null && all.put("label", label) != null) {
            throw new AbortException(Messages.labelTwice("label"));
        }
        if (!features.isEmpty() && all.put("features", String.join(",", features)) != null) {
            throw new AbortException(Messages.labelTwice("features"));
        }
        return new TrainArgs(trainer, command, data, all, seed, codePaths, force, requireGpu, gpus, runsDir,
                nvidiaSmi == null ? GpuProbe.NVIDIA_SMI : nvidiaSmi);
    }

    void setNvidiaSmiForTests(String executable) {
        this.nvidiaSmi = executable;
    }

    private static List<String> asTextList(List<?> list) {
        List<String> text = new ArrayList<>();
        if (list != null) {
            list.forEach(item -> text.add(String.valueOf(item)));
        }
        return List.copyOf(text);
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }

    public List<String> getData() {
        return data;
    }

    public String getTrainer() {
        return trainer;
    }

    /** {@code djl-mlp} (default, built in) or {@code command} (the team's own training command). */
    @DataBoundSetter
    public void setTrainer(String trainer) {
        String value = blankToNull(trainer);
        this.trainer = value == null ? DjlMlpTrainer.ID : value;
    }

    public String getCommand() {
        return command;
    }

    @DataBoundSetter
    public void setCommand(String command) {
        this.command = blankToNull(command);
    }

    public String getLabel() {
        return label;
    }

    /** Label column; the same as {@code params: [label: ...]}. */
    @DataBoundSetter
    public void setLabel(String label) {
        this.label = blankToNull(label);
    }

    public List<String> getFeatures() {
        return features;
    }

    @DataBoundSetter
    public void setFeatures(List<String> features) {
        this.features = asTextList(features);
    }

    public Map<String, Object> getParams() {
        return params;
    }

    /** Groovy maps may hold GString keys and number values; keys become text, values are kept. */
    @DataBoundSetter
    public void setParams(Map<String, Object> params) {
        Map<String, Object> copy = new TreeMap<>();
        if (params != null) {
            params.forEach((k, v) -> copy.put(String.valueOf(k), v));
        }
        this.params = Collections.unmodifiableMap(copy);
    }

    public long getSeed() {
        return seed;
    }

    @DataBoundSetter
    public void setSeed(long seed) {
        this.seed = seed;
    }

    public List<String> getCodePaths() {
        return codePaths;
    }

    @DataBoundSetter
    public void setCodePaths(List<String> codePaths) {
        this.codePaths = asTextList(codePaths);
    }

    public boolean isForce() {
        return force;
    }

    @DataBoundSetter
    public void setForce(boolean force) {
        this.force = force;
    }

    public boolean isRequireGpu() {
        return requireGpu;
    }

    @DataBoundSetter
    public void setRequireGpu(boolean requireGpu) {
        this.requireGpu = requireGpu;
    }

    public String getGpus() {
        return gpus;
    }

    /** CUDA_VISIBLE_DEVICES for a training command, e.g. "0" or "0,1"; inherited when absent. */
    @DataBoundSetter
    public void setGpus(String gpus) {
        this.gpus = blankToNull(gpus);
    }

    public String getRunsDir() {
        return runsDir;
    }

    @DataBoundSetter
    public void setRunsDir(String runsDir) {
        this.runsDir = blankToNull(runsDir);
    }

    @Extension
    public static class DescriptorImpl extends StepDescriptor {

        @Override
        public String getFunctionName() {
            return Messages.FUNCTION_NAME;
        }

        @NonNull
        @Override
        public String getDisplayName() {
            return Messages.DISPLAY_NAME;
        }

        /**
         * FilePath and Launcher make Pipeline reject the step outside {@code node {}} before it starts:
         * a step cannot pick its agent, {@code node('gpu')} does.
         */
        @Override
        public Set<? extends Class<?>> getRequiredContext() {
            return Set.of(Run.class, FilePath.class, Launcher.class, TaskListener.class, EnvVars.class);
        }
    }
}
