package hudson.model;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import java.io.Serializable;

/**
 * STUB of jenkins-core {@code hudson.model.ParameterValue} ({@code @ExportedBean(defaultVisibility = 3)
 * public abstract class ParameterValue implements Serializable}): name, description and value only;
 * {@code buildEnvironment}, {@code createVariableResolver}, {@code isSensitive} and friends are omitted.
 */
public abstract class ParameterValue implements Serializable {
    protected final String name;
    private String description;

    protected ParameterValue(String name, String description) {
        this.name = name;
        this.description = description;
    }

    protected ParameterValue(String name) {
        this(name, null);
    }

    public final String getName() {
        return name;
    }

    public String getDescription() {
        return description;
    }

    @CheckForNull
    public Object getValue() {
        return null;
    }
}
