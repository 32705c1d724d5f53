package dev.mlops.train;

/**
 * What a training run consumed. For a training command, CPU time and peak RSS are sampled from
 * /proc over the whole process tree (see {@link CommandTrainer}), so they are lower bounds; for the
 * in-process trainer they are this JVM's own figures over the run.
 *
 * @param wallMillis    elapsed time
 * @param cpuMillis     user + system CPU time, or -1 when unknown
 * @param peakRssBytes  peak resident memory, or -1 when unknown
 */
public record ResourceUsage(long wallMillis, long cpuMillis, long peakRssBytes) {
    public static final ResourceUsage NONE = new ResourceUsage(0, -1, -1);
}
