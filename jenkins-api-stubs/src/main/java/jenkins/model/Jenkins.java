package jenkins.model;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.model.Item;
import hudson.model.ItemGroup;
import hudson.model.TopLevelItem;
import java.io.File;

/**
 * STUB of jenkins-core {@code jenkins.model.Jenkins}: the root object, reached through {@link #get()}.
 * The real class extends {@code AbstractCIBase} and implements {@code DirectlyModifiableTopLevelItemGroup}
 * (an {@code ItemGroup<TopLevelItem>}) and a dozen more interfaces; here only {@link #get()},
 * {@link #getItemByFullName(String, Class)} and {@link #getRootDir()} are mirrored. There is no running
 * Jenkins in this project's tests, so {@link #get()} throws; code that needs Jenkins keeps it behind a
 * seam that tests replace.
 */
public class Jenkins implements ItemGroup<TopLevelItem> {
    private Jenkins() {
    }

    /**
     * The running Jenkins. The real method throws {@link IllegalStateException} when Jenkins has not
     * started or is shutting down; the stub always does.
     */
    @NonNull
    public static Jenkins get() throws IllegalStateException {
        throw new IllegalStateException("stub: Jenkins.get() - no Jenkins is running here");
    }

    /**
     * The item at {@code fullName} ({@code folder/job}) if it exists, is of {@code type} and the
     * current user may see it (else null). The real method declares {@code throws
     * AccessDeniedException} (Spring's, unchecked), omitted here.
     */
    @CheckForNull
    public <T extends Item> T getItemByFullName(@NonNull String fullName, Class<T> type) {
        throw new UnsupportedOperationException("stub");
    }

    /** JENKINS_HOME. */
    @NonNull
    public File getRootDir() {
        throw new UnsupportedOperationException("stub");
    }

    @Override
    public String getFullName() {
        return "";
    }

    @Override
    public String getUrl() {
        return "";
    }

    @Override
    public String getDisplayName() {
        return "Jenkins";
    }
}
