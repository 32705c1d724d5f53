package org.jenkinsci.plugins.workflow.steps;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.model.Descriptor;
import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;

/**
 * STUB of workflow-step-api {@code StepDescriptor}.
 *
 * <p>{@link #newInstance(Map)} is a SIMPLIFIED stand-in for structs' {@code DescribableModel}:
 * it calls the {@link DataBoundConstructor} with arguments matched by parameter name (classes must
 * be compiled with {@code -parameters}), then public {@link DataBoundSetter} methods
 * {@code setX(value)}; unknown argument names fail like the real binder. It does no type coercion
 * (the real one converts numbers, strings to enums, nested describables ...). Omitted: the static
 * lookups {@code all()}, {@code byFunctionName(String)}, {@code metaStepsOf(String)} (need
 * {@code ExtensionList}), {@code uninstantiate} and {@code getMetaStepArgumentType}.
 */
public abstract class StepDescriptor extends Descriptor<Step> {

    public abstract Set<? extends Class<?>> getRequiredContext();

    public Set<? extends Class<?>> getProvidedContext() {
        return Collections.emptySet();
    }

    public abstract String getFunctionName();

    public boolean takesImplicitBlockArgument() {
        return false;
    }

    public boolean isAdvanced() {
        return false;
    }

    public boolean isMetaStep() {
        return false;
    }

    public Step newInstance(Map<String, Object> arguments) throws Exception {
        Map<String, Object> remaining = new LinkedHashMap<>(arguments);
        Constructor<?> ctor = null;
        for (Constructor<?> c : clazz.getConstructors()) {
            if (c.isAnnotationPresent(DataBoundConstructor.class)) {
                ctor = c;
            }
        }
        if (ctor == null) {
            throw new IllegalStateException(clazz.getName() + " has no public @DataBoundConstructor");
        }
        Parameter[] params = ctor.getParameters();
        Object[] values = new Object[params.length];
        for (int i = 0; i < params.length; i++) {
            if (!params[i].isNamePresent()) {
                throw new IllegalStateException(clazz.getName() + " was not compiled with -parameters");
            }
            values[i] = remaining.remove(params[i].getName());
        }
        Step step;
        try {
            step = (Step) ctor.newInstance(values);
        } catch (InvocationTargetException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
        Set<String> unknown = new TreeSet<>();
        for (Map.Entry<String, Object> e : remaining.entrySet()) {
            Method setter = setterFor(e.getKey());
            if (setter == null) {
                unknown.add(e.getKey());
                continue;
            }
            try {
                setter.invoke(step, e.getValue());
            } catch (InvocationTargetException x) {
                throw x.getCause() instanceof Exception cause ? cause : x;
            }
        }
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("WARNING: Unknown parameter(s) found for class type '"
                    + clazz.getName() + "': " + String.join(",", unknown));
        }
        return step;
    }

    private Method setterFor(String property) {
        String name = "set" + Character.toUpperCase(property.charAt(0)) + property.substring(1);
        for (Method m : clazz.getMethods()) {
            if (m.getName().equals(name) && m.getParameterCount() == 1 && m.isAnnotationPresent(DataBoundSetter.class)) {
                return m;
            }
        }
        return null;
    }

    /**
     * Checks that the context has every {@link #getRequiredContext() required} type, as Pipeline
     * does before starting a step.
     */
    public final void checkContextAvailability(StepContext c)
            throws MissingContextVariableException, IOException, InterruptedException {
        for (Class<?> type : getRequiredContext()) {
            if (c.get(type) == null) {
                throw new MissingContextVariableException(type);
            }
        }
    }

    @CheckForNull
    public String argumentsToString(@NonNull Map<String, Object> namedArgs) {
        if (namedArgs.size() == 1) {
            Object val = namedArgs.values().iterator().next();
            if (val instanceof CharSequence || val instanceof Number || val instanceof Boolean || val instanceof Enum) {
                return val.toString();
            }
        }
        return null;
    }
}
