package org.jenkinsci.plugins.workflow.steps;

import edu.umd.cs.findbugs.annotations.NonNull;

/**
 * STUB of workflow-step-api {@code SynchronousNonBlockingStepExecution}.
 *
 * <p><strong>Behaviour differs from real Jenkins, on purpose, for unit tests.</strong> The real
 * {@link #start()} submits {@link #run()} to a shared cached thread pool (running as the caller's
 * {@code Authentication}), so the CPS VM thread is never blocked, and returns {@code false} at
 * once; {@code onSuccess}/{@code onFailure} are called later from that pool thread. This stub runs
 * {@link #run()} IN THE CALLING THREAD, calls {@code getContext().onSuccess(result)} or
 * {@code getContext().onFailure(x)} before returning, and then returns {@code false} as the real
 * one does. Tests can therefore assert on the context right after {@code start()}.
 *
 * <p>{@link #stop} mirrors the real class: it remembers the cause, interrupts the thread running
 * {@link #run()} (the real one calls {@code task.cancel(true)} on the pool's future, which
 * interrupts it), then calls {@code super.stop(cause)}, which fails the context with the cause. A
 * failure that {@link #run()} throws after a stop is added to the cause as suppressed instead of
 * being reported a second time, as in the real class. A test can stop a running step by calling
 * {@code start()} on one thread and {@code stop(...)} on another.
 *
 * <p>As in the real class, {@link #onResume()} fails the step: this kind of execution does not
 * survive a controller restart.
 */
public abstract class SynchronousNonBlockingStepExecution<T> extends StepExecution {

    private transient volatile String threadName;
    /** Stands in for the real class's {@code Future<?> task}: the thread to interrupt on stop. */
    private transient volatile Thread task;
    private transient volatile Throwable stopCause;

    protected SynchronousNonBlockingStepExecution(@NonNull StepContext context) {
        super(context);
    }

    /** The work of the step; when it returns, the step is over. */
    protected abstract T run() throws Exception;

    @Override
    public final boolean start() throws Exception {
        task = Thread.currentThread();
        threadName = task.getName();
        try {
            T ret = run();
            getContext().onSuccess(ret);
        } catch (Throwable x) {
            if (stopCause == null) {
                getContext().onFailure(x);
            } else {
                stopCause.addSuppressed(x);
            }
        } finally {
            threadName = null;
            task = null;
            if (stopCause != null) {
                // a pool thread is reset before its next task; the calling thread here must be too
                Thread.interrupted();
            }
        }
        return false;
    }

    /** Interrupts {@link #run()} if it is still going, then fails the step with {@code cause}. */
    @Override
    public void stop(@NonNull Throwable cause) throws Exception {
        Thread running = task;
        if (running != null) {
            stopCause = cause;
            running.interrupt();
        }
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
