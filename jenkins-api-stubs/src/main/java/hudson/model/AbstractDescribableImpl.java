package hudson.model;

/**
 * STUB of jenkins-core {@code hudson.model.AbstractDescribableImpl}: empty and deprecated since
 * 2.505 in current core, but still the superclass of {@code Step}.
 */
@Deprecated(since = "2.505")
public abstract class AbstractDescribableImpl<T extends AbstractDescribableImpl<T>> implements Describable<T> {
}
