package dev.mlops.jenkins.support;

import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.ListenableFuture;
import hudson.model.Result;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jenkinsci.plugins.workflow.steps.BodyInvoker;
import org.jenkinsci.plugins.workflow.steps.StepContext;

/**
 * A StepContext for unit tests: serves the objects it was given and records the outcome. Like
 * Pipeline's own context, only the first completion counts; later ones (a stopped step whose work
 * then ends) are counted but ignored. Safe to use from the thread that runs the step and the one
 * that stops it.
 */
public final class TestStepContext extends StepContext {
    private final transient Map<Class<?>, Object> objects = new HashMap<>();
    private final transient CountDownLatch done = new CountDownLatch(1);
    private transient volatile Object success;
    private transient volatile Throwable failure;
    private transient volatile boolean completed;
    private transient volatile int laterCompletions;
    private transient volatile Result result;

    public <T> TestStepContext with(Class<T> type, T value) {
        objects.put(type, value);
        return this;
    }

    public TestStepContext without(Class<?> type) {
        objects.remove(type);
        return this;
    }

    @Override
    public <T> T get(Class<T> key) {
        return key.cast(objects.get(key));
    }

    @Override
    public synchronized void onSuccess(Object value) {
        if (completed) {
            laterCompletions++;
            return;
        }
        completed = true;
        success = value;
        done.countDown();
    }

    @Override
    public synchronized void onFailure(Throwable t) {
        if (completed) {
            laterCompletions++;
            return;
        }
        completed = true;
        failure = t;
        done.countDown();
    }

    public boolean awaitCompletion(long seconds) throws InterruptedException {
        return done.await(seconds, TimeUnit.SECONDS);
    }

    public boolean isCompleted() {
        return completed;
    }

    public int laterCompletions() {
        return laterCompletions;
    }

    public Object success() {
        return success;
    }

    public Throwable failure() {
        return failure;
    }

    public Result result() {
        return result;
    }

    @Override
    public boolean isReady() {
        return true;
    }

    @Override
    public ListenableFuture<Void> saveState() {
        return Futures.immediateVoidFuture();
    }

    @Override
    public void setResult(Result r) {
        result = r;
    }

    @Override
    public BodyInvoker newBodyInvoker() {
        throw new IllegalStateException("this step takes no body");
    }

    @Override
    public boolean equals(Object o) {
        return this == o;
    }

    @Override
    public int hashCode() {
        return System.identityHashCode(this);
    }

    private static final long serialVersionUID = 1L;
}
