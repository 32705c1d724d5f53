package hudson.model;

import java.io.Serializable;

/**
 * STUB of jenkins-core {@code hudson.model.Result}: the five constants and their ordering. The
 * real class also implements {@code CustomExportedBean} and carries a {@code BallColor}.
 */
public final class Result implements Serializable {
    public static final Result SUCCESS = new Result("SUCCESS", 0, true);
    public static final Result UNSTABLE = new Result("UNSTABLE", 1, true);
    public static final Result FAILURE = new Result("FAILURE", 2, true);
    public static final Result NOT_BUILT = new Result("NOT_BUILT", 3, false);
    public static final Result ABORTED = new Result("ABORTED", 4, false);

    private static final Result[] ALL = {SUCCESS, UNSTABLE, FAILURE, NOT_BUILT, ABORTED};

    public final String name;
    public final int ordinal;
    public final boolean completeBuild;

    private Result(String name, int ordinal, boolean completeBuild) {
        this.name = name;
        this.ordinal = ordinal;
        this.completeBuild = completeBuild;
    }

    public Result combine(Result that) {
        return this.ordinal < that.ordinal ? that : this;
    }

    public boolean isWorseThan(Result that) {
        return this.ordinal > that.ordinal;
    }

    public boolean isWorseOrEqualTo(Result that) {
        return this.ordinal >= that.ordinal;
    }

    public boolean isBetterThan(Result that) {
        return this.ordinal < that.ordinal;
    }

    public boolean isBetterOrEqualTo(Result that) {
        return this.ordinal <= that.ordinal;
    }

    public boolean isCompleteBuild() {
        return completeBuild;
    }

    @Override
    public String toString() {
        return name;
    }

    /** The constant with this name (case-insensitive), else {@link #FAILURE}. */
    public static Result fromString(String s) {
        for (Result r : ALL) {
            if (r.name.equalsIgnoreCase(s)) {
                return r;
            }
        }
        return FAILURE;
    }

    private Object readResolve() {
        for (Result r : ALL) {
            if (r.ordinal == ordinal) {
                return r;
            }
        }
        return FAILURE;
    }

    private static final long serialVersionUID = 1L;
}
