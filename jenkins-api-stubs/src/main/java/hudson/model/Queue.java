package hudson.model;

/**
 * STUB of jenkins-core {@code hudson.model.Queue} ({@code public class Queue extends ResourceController
 * implements Saveable}): only the nested types plugins name. Nothing can be scheduled here; the real
 * queue is reached through {@code Jenkins.get().getQueue()} or
 * {@link jenkins.model.ParameterizedJobMixIn#scheduleBuild2}.
 */
public class Queue {
    private Queue() {
    }

    /** STUB of {@code Queue.Task} (the real one extends {@code FutureOwner, SubTask}, a {@code ModelObject}, with many members); a marker here. */
    public interface Task {
    }

    /** STUB of {@code Queue.Executable} (the real one extends {@code Runnable, WithConsoleUrl}); a marker here. */
    public interface Executable {
    }

    /**
     * STUB of {@code Queue.Item} ({@code public abstract static class Item extends Actionable implements
     * QueueItem}): its id and URL. Constructors, {@code task}, {@code getFuture()}, {@code getWhy()}
     * and the rest are omitted.
     */
    public abstract static class Item extends Actionable {
        /** Unique among the items this controller queued since it started. */
        public final long id;

        Item(long id) {
            this.id = id;
        }

        public long getId() {
            return id;
        }

        /** Relative to the Jenkins root URL, e.g. {@code queue/item/42/}. */
        public String getUrl() {
            return "queue/item/" + id + "/";
        }
    }
}
