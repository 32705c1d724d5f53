package hudson;

import edu.umd.cs.findbugs.annotations.NonNull;
import java.util.AbstractList;

/**
 * STUB of jenkins-core {@code hudson.ExtensionList} ({@code public class ExtensionList<T> extends
 * AbstractList<T> implements OnMaster}): only the static {@link #lookupSingleton(Class)}. The list
 * itself is empty here (no extension index is built by this project), and lookups throw.
 */
public class ExtensionList<T> extends AbstractList<T> {
    protected ExtensionList() {
    }

    /**
     * The one registered instance of {@code type} (an {@code @Extension} such as a
     * {@code GlobalConfiguration}); the real method throws {@link IllegalStateException} when there is
     * none or more than one.
     */
    public static @NonNull <U> U lookupSingleton(Class<U> type) {
        throw new IllegalStateException("stub: no extensions are registered without a running Jenkins (" + type.getName() + ")");
    }

    @Override
    public T get(int index) {
        throw new IndexOutOfBoundsException(index);
    }

    @Override
    public int size() {
        return 0;
    }
}
