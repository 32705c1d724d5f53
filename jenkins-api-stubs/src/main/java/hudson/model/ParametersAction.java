package hudson.model;

import edu.umd.cs.findbugs.annotations.NonNull;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import jenkins.model.RunAction2;

/**
 * STUB of jenkins-core {@code hudson.model.ParametersAction}, with working accessors. The real class
 * ({@code public class ParametersAction implements RunAction2, Iterable<ParameterValue>, QueueAction,
 * EnvironmentContributingAction, LabelAssignmentAction}) also <b>drops parameters the job does not
 * declare</b> once attached to a run (SECURITY-170; unless
 * {@code hudson.model.ParametersAction.keepUndefinedParameters} or {@code safeParameters} say
 * otherwise), contributes them to the environment and decides queue folding; none of that is here.
 */
public class ParametersAction implements RunAction2, Iterable<ParameterValue> {
    private final List<ParameterValue> parameters;

    public ParametersAction(@NonNull List<ParameterValue> parameters) {
        this.parameters = new ArrayList<>(parameters);
    }

    public ParametersAction(ParameterValue... parameters) {
        this(Arrays.asList(parameters));
    }

    @Override
    public Iterator<ParameterValue> iterator() {
        return getParameters().iterator();
    }

    @NonNull
    public List<ParameterValue> getParameters() {
        return Collections.unmodifiableList(parameters);
    }

    public ParameterValue getParameter(String name) {
        for (ParameterValue p : parameters) {
            if (p != null && p.getName().equals(name)) {
                return p;
            }
        }
        return null;
    }

    @Override
    public String getIconFileName() {
        return "symbol-parameters";
    }

    @Override
    public String getDisplayName() {
        return "Parameters";
    }

    @Override
    public String getUrlName() {
        return "parameters";
    }

    @Override
    public void onAttached(Run<?, ?> r) {
    }

    @Override
    public void onLoad(Run<?, ?> r) {
    }
}
