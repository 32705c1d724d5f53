package jenkins.model;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import hudson.model.Action;
import hudson.model.Item;
import hudson.model.Job;
import hudson.model.Queue;
import hudson.model.Run;

/**
 * STUB of jenkins-core {@code jenkins.model.ParameterizedJobMixIn}: the static
 * {@link #scheduleBuild2(Job, int, Action...)} and the {@link ParameterizedJob} marker. Same type
 * parameters and bounds as the real class; its instance members ({@code scheduleBuild},
 * {@code doBuild}, {@code doBuildWithParameters}, ...) are omitted, and {@code ParameterizedJob} here
 * extends {@link Item} where the real one extends {@code BuildableItem} and has many defaults.
 */
public abstract class ParameterizedJobMixIn<
        JobT extends Job<JobT, RunT> & ParameterizedJobMixIn.ParameterizedJob<JobT, RunT> & Queue.Task,
        RunT extends Run<JobT, RunT> & Queue.Executable> {

    protected abstract JobT asJob();

    /**
     * Schedules a build of {@code job}. In the real class: returns a new or reused queue item, or null
     * if the job is not a {@link ParameterizedJob}, is not buildable (e.g. disabled), or a
     * {@code QueueDecisionHandler} refused it. A job that declares parameters gets their defaults for
     * any not given in a {@code ParametersAction}. Throws here (no queue).
     *
     * @param quietPeriod seconds to wait before starting; {@code -1} uses the job's own setting
     * @param actions e.g. a {@code ParametersAction} and a {@code CauseAction}
     */
    public static @CheckForNull Queue.Item scheduleBuild2(final Job<?, ?> job, int quietPeriod, Action... actions) {
        throw new UnsupportedOperationException("stub: ParameterizedJobMixIn.scheduleBuild2 needs a running Jenkins");
    }

    /** STUB of {@code ParameterizedJobMixIn.ParameterizedJob}: a marker here. */
    public interface ParameterizedJob<
            JobT extends Job<JobT, RunT> & ParameterizedJobMixIn.ParameterizedJob<JobT, RunT> & Queue.Task,
            RunT extends Run<JobT, RunT> & Queue.Executable> extends Item {
    }
}
