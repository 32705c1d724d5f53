package hudson.model;

/**
 * STUB of jenkins-core {@code hudson.model.Describable}. The real default looks the descriptor up
 * with {@code Jenkins.get().getDescriptorOrDie(getClass())}; there is no Jenkins here, so the stub
 * default throws. Tests instantiate descriptors directly instead.
 */
public interface Describable<T extends Describable<T>> {
    default Descriptor<T> getDescriptor() {
        throw new UnsupportedOperationException("stub: Describable.getDescriptor() needs a running Jenkins");
    }
}
