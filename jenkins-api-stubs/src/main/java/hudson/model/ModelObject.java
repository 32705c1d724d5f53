package hudson.model;

/** STUB of jenkins-core {@code hudson.model.ModelObject}. */
public interface ModelObject {
    String getDisplayName();
}
