package hudson.model;

import edu.umd.cs.findbugs.annotations.NonNull;
import edu.umd.cs.findbugs.annotations.Nullable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * STUB of jenkins-core {@code hudson.model.Actionable}, with working behaviour: it keeps a list of
 * persistent actions. Differences: the real class extends {@code AbstractModelObject}, implements
 * {@code ModelObjectWithContextMenu}, and merges transient actions from
 * {@code TransientActionFactory} extensions; the stub has no transient actions.
 */
public abstract class Actionable implements ModelObject {
    private volatile CopyOnWriteArrayList<Action> actions;

    @Deprecated
    @NonNull
    public List<Action> getActions() {
        if (actions == null) {
            synchronized (this) {
                if (actions == null) {
                    actions = new CopyOnWriteArrayList<>();
                }
            }
        }
        return actions;
    }

    @NonNull
    public final List<? extends Action> getAllActions() {
        return Collections.unmodifiableList(new ArrayList<>(getActions()));
    }

    @NonNull
    public <T extends Action> List<T> getActions(Class<T> type) {
        List<T> found = new ArrayList<>();
        for (Action a : getActions()) {
            if (type.isInstance(a)) {
                found.add(type.cast(a));
            }
        }
        return Collections.unmodifiableList(found);
    }

    public void addAction(@NonNull Action a) {
        if (a == null) {
            throw new IllegalArgumentException("Action must be non-null");
        }
        getActions().add(a);
    }

    public void replaceAction(@NonNull Action a) {
        addOrReplaceAction(a);
    }

    /** Adds {@code a}, removing other actions of exactly the same class. */
    public boolean addOrReplaceAction(@NonNull Action a) {
        if (a == null) {
            throw new IllegalArgumentException("Action must be non-null");
        }
        List<Action> current = getActions();
        List<Action> old = new ArrayList<>();
        boolean found = false;
        for (Action existing : current) {
            if (!found && a.equals(existing)) {
                found = true;
            } else if (existing.getClass() == a.getClass()) {
                old.add(existing);
            }
        }
        current.removeAll(old);
        if (!found) {
            addAction(a);
        }
        return !found || !old.isEmpty();
    }

    public boolean removeAction(@Nullable Action a) {
        return a != null && getActions().remove(a);
    }

    public boolean removeActions(@NonNull Class<? extends Action> clazz) {
        return getActions().removeIf(clazz::isInstance);
    }

    /** The first action of the given type, or null. */
    public <T extends Action> T getAction(Class<T> type) {
        for (Action a : getActions()) {
            if (type.isInstance(a)) {
                return type.cast(a);
            }
        }
        return null;
    }
}
