package jenkins.model;

import hudson.model.Action;
import hudson.model.Run;

/** STUB of jenkins-core {@code jenkins.model.RunAction2} (same members). */
public interface RunAction2 extends Action {
    void onAttached(Run<?, ?> r);

    void onLoad(Run<?, ?> r);
}
