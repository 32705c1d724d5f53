package dev.mlops.jenkins.register;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.EnvVars;
import hudson.Extension;
import hudson.FilePath;
import hudson.model.Run;
import hudson.model.TaskListener;
import java.util.ArrayList;
import java.util.Collections;
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
 * {@code mlopsRegister}: registers the model file(s) in the workspace as a new version, e.g.
 * <pre>{@code
 * node('gpu') {
 *     def v = mlopsRegister model: 'churn', path: 'out/model.onnx', metrics: [auc: 0.91], alias: 'staging'
 *     echo "registered ${v.ref}"
 * }
 * }</pre>
 * Arguments are only collected here; validation and all the work happen in the core use case
 * ({@link dev.mlops.registry.Registration}), run on the agent by {@link MlopsRegisterStepExecution}.
 */
public class MlopsRegisterStep extends Step {
    private final String model;
    private List<String> paths = List.of();
    private String path;
    private String format;
    private String description;
    private Map<String, Object> metrics = Map.of();
    private Map<String, Object> params = Map.of();
    private Map<String, Object> tags = Map.of();
    private List<String> datasets = List.of();
    private String alias;
    private String reason;
    private String registry;

    @DataBoundConstructor
    public MlopsRegisterStep(String model) {
        this.model = model;
    }

    @Override
    public StepExecution start(StepContext context) throws Exception {
        return new MlopsRegisterStepExecution(this, context);
    }

    /** The arguments as plain text values; {@code path} comes before {@code paths}. */
    RegisterArgs toArgs() {
        List<String> allPaths = new ArrayList<>();
        if (path != null) {
            allPaths.add(path);
        }
        allPaths.addAll(paths);
        return new RegisterArgs(registry, model, allPaths, format, description, asText(metrics), asText(params),
                asText(tags), datasets, alias, reason);
    }

    /** Groovy maps may hold GString keys and number values: everything becomes text, null becomes "". */
    private static Map<String, String> asText(Map<?, ?> map) {
        Map<String, String> text = new TreeMap<>();
        map.forEach((k, v) -> text.put(String.valueOf(k), v == null ? "" : v.toString()));
        return text;
    }

    private static List<String> asTextList(List<?> list) {
        List<String> text = new ArrayList<>();
        if (list != null) {
            list.forEach(item -> text.add(String.valueOf(item)));
        }
        return List.copyOf(text);
    }

    private static Map<String, Object> copyOf(Map<?, ?> map) {
        Map<String, Object> copy = new TreeMap<>();
        if (map != null) {
            map.forEach((k, v) -> copy.put(String.valueOf(k), v));
        }
        return Collections.unmodifiableMap(copy);
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }

    public String getModel() {
        return model;
    }

    public List<String> getPaths() {
        return paths;
    }

    @DataBoundSetter
    public void setPaths(List<String> paths) {
        this.paths = asTextList(paths);
    }

    public String getPath() {
        return path;
    }

    /** Single-file shorthand for {@link #setPaths}. */
    @DataBoundSetter
    public void setPath(String path) {
        this.path = blankToNull(path);
    }

    public String getFormat() {
        return format;
    }

    @DataBoundSetter
    public void setFormat(String format) {
        this.format = blankToNull(format);
    }

    public String getDescription() {
        return description;
    }

    @DataBoundSetter
    public void setDescription(String description) {
        this.description = blankToNull(description);
    }

    public Map<String, Object> getMetrics() {
        return metrics;
    }

    @DataBoundSetter
    public void setMetrics(Map<String, Object> metrics) {
        this.metrics = copyOf(metrics);
    }

    public Map<String, Object> getParams() {
        return params;
    }

    @DataBoundSetter
    public void setParams(Map<String, Object> params) {
        this.params = copyOf(params);
    }

    public Map<String, Object> getTags() {
        return tags;
    }

    @DataBoundSetter
    public void setTags(Map<String, Object> tags) {
        this.tags = copyOf(tags);
    }

    public List<String> getDatasets() {
        return datasets;
    }

    @DataBoundSetter
    public void setDatasets(List<String> datasets) {
        this.datasets = asTextList(datasets);
    }

    public String getAlias() {
        return alias;
    }

    @DataBoundSetter
    public void setAlias(String alias) {
        this.alias = blankToNull(alias);
    }

    public String getReason() {
        return reason;
    }

    @DataBoundSetter
    public void setReason(String reason) {
        this.reason = blankToNull(reason);
    }

    public String getRegistry() {
        return registry;
    }

    @DataBoundSetter
    public void setRegistry(String registry) {
        this.registry = blankToNull(registry);
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
