package hudson.model;

import edu.umd.cs.findbugs.annotations.NonNull;

/**
 * STUB of jenkins-core {@code hudson.model.Descriptor}. Only the constructors, {@link #clazz},
 * {@link #getDisplayName()} and {@link #getId()} are mirrored. The real class also implements
 * {@code Loadable, Saveable, OnMaster} and has form binding ({@code newInstance(StaplerRequest2,
 * JSONObject)}), help-file lookup and persistence, none of which exist here.
 */
public abstract class Descriptor<T extends Describable<T>> {

    /** The describable type this descriptor describes. */
    public final transient Class<? extends T> clazz;

    protected Descriptor(Class<? extends T> clazz) {
        this.clazz = clazz;
    }

    /** Infers the describable type from the enclosing class, as the real constructor does. */
    @SuppressWarnings("unchecked")
    protected Descriptor() {
        Class<?> outer = getClass().getEnclosingClass();
        if (outer == null) {
            throw new AssertionError(getClass() + " doesn't have an outer class. Use the constructor that takes the Class object explicitly.");
        }
        this.clazz = (Class<? extends T>) outer;
    }

    /** Human readable name; the real default is also the simple class name. */
    @NonNull
    public String getDisplayName() {
        return clazz.getSimpleName();
    }

    public String getId() {
        return clazz.getName();
    }
}
