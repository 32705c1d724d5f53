package org.jenkinsci.plugins.workflow.steps;

import edu.umd.cs.findbugs.annotations.NonNull;

/**
 * STUB of workflow-step-api {@code SynchronousNonBlockingStepExecution}.
 *
 * <p><strong>Behaviour differs from real Jenkins, on purpose, for unit tests.</strong> The real
 * {@link #start()} submits {@link #run()} to a shared cached thread pool (running as the caller's
 * {@code Authentication}), so the CPS VM thread is never blocked, and returns {@code false} at
 * once; {@code onSuccess}/{@code onFailure} are called later from that pool thread, and
 * {@link #stop} cancels (interrupts) the task. This stub runs {@link #run()} IN THE CALLING
 * THREAD, calls {@code getContext().onSuccess(result)} or {@code getContext().onFailure(x)}
 * before returning, and then returns {@code false} as the real one does. Tests can therefore
 * assert on the context right after {@code start()}, but they cannot observe concurrency or
 * stopping. As in the real class, {@link #onResume()} fails the step: this kind of execution does
 * not survive a controller restart.
 */
public abstract class SynchronousNonBlockingStepExecution<T> extends StepExecution {

    private transient volatile String threadName;

    protected SynchronousNonBlockingStepExecution(@NonNull StepContext context) {
        super(context);
    }

    /** The work of the step; when it returns, the step is over. */
    protected abstract T run() throws Exception;

    @Override
    public final boolean start() throws Exception {
        threadName = Thread.currentThread().getName();
        T ret;
        try {
            ret = run();
        } catch (Throwable x) {
            threadName = null;
            getContext().onFailure(x);
            return false;
        }
        threadName = null;
        getContext().onSuccess(ret);
        return false;
    }

    @Override
    public void stop(Throwable cause) throws Exception {
        super.stop(cause);
    }

    @Override
    public void onResume() {
        getContext().onFailure(new SynchronousResumeNotSupportedException());
    }

    @Override
    public @NonNull String getStatus() {
        return threadName != null ? "running in thread: " + threadName : "not yet scheduled";
    }

    @Override
    public boolean blocksRestart() {
        return threadName != null;
    }

    private static final long serialVersionUID = 1L;
}
