package hudson.model;

import edu.umd.cs.findbugs.annotations.CheckForNull;

/**
 * STUB of jenkins-core {@code hudson.model.Action}. The real interface also has defaults for the
 * new menu model ({@code getGroup()}, {@code getAction()}, {@code getId()}, {@code getSemantic()},
 * {@code getBadge()}) that depend on {@code jenkins.model.menu} types; they are omitted.
 */
public interface Action extends ModelObject {
    @CheckForNull
    String getIconFileName();

    @Override
    @CheckForNull
    String getDisplayName();

    @CheckForNull
    default String getUrlName() {
        return null;
    }
}
