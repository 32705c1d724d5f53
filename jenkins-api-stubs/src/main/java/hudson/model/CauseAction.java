package hudson.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import jenkins.model.RunAction2;

/**
 * STUB of jenkins-core {@code hudson.model.CauseAction}, with working behaviour: keeps its causes in
 * order. The real class ({@code @ExportedBean public class CauseAction implements FoldableAction,
 * RunAction2}) counts duplicate causes in a bag, folds into an already queued item
 * ({@code foldIntoExisting}) and calls {@code Cause.onAddedTo}; {@code FoldableAction} is not stubbed.
 */
public class CauseAction implements RunAction2 {
    private final List<Cause> causes = new ArrayList<>();

    public CauseAction(Cause c) {
        causes.add(c);
    }

    public CauseAction(Cause... c) {
        this(Arrays.asList(c));
    }

    public CauseAction(Collection<? extends Cause> causes) {
        this.causes.addAll(causes);
    }

    public CauseAction(CauseAction ca) {
        this(ca.causes);
    }

    public List<Cause> getCauses() {
        return Collections.unmodifiableList(causes);
    }

    public <T extends Cause> T findCause(Class<T> type) {
        for (Cause c : causes) {
            if (type.isInstance(c)) {
                return type.cast(c);
            }
        }
        return null;
    }

    @Override
    public String getDisplayName() {
        return "Cause";
    }

    @Override
    public String getIconFileName() {
        return null;
    }

    @Override
    public String getUrlName() {
        return "cause";
    }

    @Override
    public void onAttached(Run<?, ?> owner) {
    }

    @Override
    public void onLoad(Run<?, ?> owner) {
    }
}
