package hudson.model;

import org.kohsuke.stapler.DataBoundConstructor;

/**
 * STUB of jenkins-core {@code hudson.model.StringParameterValue}. As in the real class a null value
 * becomes "" ({@code Util.fixNull}); {@code buildEnvironment} and the variable resolver are omitted.
 */
public class StringParameterValue extends ParameterValue {
    public String value;

    @DataBoundConstructor
    public StringParameterValue(String name, String value) {
        this(name, value, null);
    }

    public StringParameterValue(String name, String value, String description) {
        super(name, description);
        this.value = value == null ? "" : value;
    }

    @Override
    public String getValue() {
        return value;
    }
}
