package dev.mlops.jenkins.register;

import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.ListenableFuture;
import hudson.model.Result;
import java.util.HashMap;
import java.util.Map;
import org.jenkinsci.plugins.workflow.steps.BodyInvoker;
import org.jenkinsci.plugins.workflow.steps.StepContext;

/** A StepContext for unit tests: serves the objects it was given and records the outcome. */
final class TestStepContext extends StepContext {
    private final transient Map<Class<?>, Object> objects = new HashMap<>();
    private transient Object success;
    private transient Throwable failure;
    private transient boolean completed;
    private transient Result result;

    <T> TestStepContext with(Class<T> type, T value) {
        objects.put(type, value);
        return this;
    }

    TestStepContext without(Class<?> type) {
        objects.remove(type);
        return this;
    }

    @Override
    public <T> T get(Class<T> key) {
        return key.cast(objects.get(key));
    }

    @Override
    public void onSuccess(Object result) {
        if (completed) {
            throw new IllegalStateException("step completed twice");
        }
        completed = true;
        success = result;
    }

    @Override
    public void onFailure(Throwable t) {
        if (completed) {
            throw new IllegalStateException("step completed twice", t);
        }
        completed = true;
        failure = t;
    }

    boolean isCompleted() {
        return completed;
    }

    Object success() {
        return success;
    }

    Throwable failure() {
        return failure;
    }

    Result result() {
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
        throw new IllegalStateException("mlopsRegister takes no body");
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
