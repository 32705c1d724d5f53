package dev.mlops.jenkins.evaluate;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.EnvVars;
import hudson.Extension;
import hudson.FilePath;
import hudson.model.Run;
import hudson.model.TaskListener;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepDescriptor;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;

/**
 * {@code mlopsEvaluate}: scores the candidate and the production model on the same holdout, gates
 * on the difference and sets the build result from the verdict, e.g.
 * <pre>{@code
 * node('linux') {
 *     def e = mlopsEvaluate model: 'churn', candidate: "run:${run.id}", holdout: 'data/holdout.csv'
 *     echo "${e.outcome}: ${e.reason}"
 * }
 * }</pre>
 * PASS leaves the result alone; INCONCLUSIVE makes the build UNSTABLE (a person must decide), or
 * fails it with {@code failOnInconclusive: true}; FAIL and ERROR fail the step and the build. The
 * report is attached to the build in every case. Validation and the work happen in the core use
 * case ({@link dev.mlops.workflow.EvaluateCandidate}), run on the agent by
 * {@link MlopsEvaluateStepExecution}.
 */
public class MlopsEvaluateStep extends Step {
    private final String candidate;
    private final String holdout;
    private String model;
    private String baseline;
    private String label;
    private List<String> slices = List.of();
    private String gate;
    private String reportDir;
    private String registry;
    private String runsDir;
    private boolean failOnInconclusive;

    @DataBoundConstructor
    public MlopsEvaluateStep(String candidate, String holdout) {
        this.candidate = blankToNull(candidate);
        this.holdout = blankToNull(holdout);
    }

    @Override
    public StepExecution start(StepContext context) throws Exception {
        return new MlopsEvaluateStepExecution(this, context);
    }

    EvaluateArgs toArgs() {
        return new EvaluateArgs(registry, model, candidate, baseline, holdout, label, slices, gate, reportDir, runsDir);
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }

    public String getCandidate() {
        return candidate;
    }

    public String getHoldout() {
        return holdout;
    }

    public String getModel() {
        return model;
    }

    /** Registered model name; the baseline defaults to {@code <model>@production}. */
    @DataBoundSetter
    public void setModel(String model) {
        this.model = blankToNull(model);
    }

    public String getBaseline() {
        return baseline;
    }

    @DataBoundSetter
    public void setBaseline(String baseline) {
        this.baseline = blankToNull(baseline);
    }

    public String getLabel() {
        return label;
    }

    @DataBoundSetter
    public void setLabel(String label) {
        this.label = blankToNull(label);
    }

    public List<String> getSlices() {
        return slices;
    }

    @DataBoundSetter
    public void setSlices(List<String> slices) {
        List<String> text = new ArrayList<>();
        if (slices != null) {
            slices.forEach(s -> text.add(String.valueOf(s)));
        }
        this.slices = List.copyOf(text);
    }

    public String getGate() {
        return gate;
    }

    @DataBoundSetter
    public void setGate(String gate) {
        this.gate = blankToNull(gate);
    }

    public String getReportDir() {
        return reportDir;
    }

    @DataBoundSetter
    public void setReportDir(String reportDir) {
        this.reportDir = blankToNull(reportDir);
    }

    public String getRegistry() {
        return registry;
    }

    @DataBoundSetter
    public void setRegistry(String registry) {
        this.registry = blankToNull(registry);
    }

    public String getRunsDir() {
        return runsDir;
    }

    @DataBoundSetter
    public void setRunsDir(String runsDir) {
        this.runsDir = blankToNull(runsDir);
    }

    public boolean isFailOnInconclusive() {
        return failOnInconclusive;
    }

    /** INCONCLUSIVE fails the build instead of making it UNSTABLE. */
    @DataBoundSetter
    public void setFailOnInconclusive(boolean failOnInconclusive) {
        this.failOnInconclusive = failOnInconclusive;
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

        /** FilePath makes Pipeline reject the step outside {@code node {}} before it starts. */
        @Override
        public Set<? extends Class<?>> getRequiredContext() {
            return Set.of(Run.class, FilePath.class, TaskListener.class, EnvVars.class);
        }
    }
}
