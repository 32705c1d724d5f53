package dev.mlops.jenkins.support;

import dev.mlops.storage.TransferListener;
import java.io.PrintStream;
import java.util.HashMap;
import java.util.Map;

/**
 * Logs transfers (uploads or downloads) of at least a threshold, by default
 * {@link #DEFAULT_THRESHOLD_BYTES}, to the build log: one line when a file starts, then one per
 * 10 % step. Smaller files stay silent. The wording of both lines is the calling plugin's.
 */
public final class ProgressLog implements TransferListener {
    public static final long DEFAULT_THRESHOLD_BYTES = 4L * 1024 * 1024;

    /** The line logged when a file's transfer starts. */
    @FunctionalInterface
    public interface StartedMessage {
        String format(String file, long total);
    }

    /** The line logged when a file's transfer reaches another tenth. */
    @FunctionalInterface
    public interface ProgressMessage {
        String format(String file, int percent, long done, long total);
    }

    private final PrintStream out;
    private final long thresholdBytes;
    private final StartedMessage started;
    private final ProgressMessage progress;
    private final Map<String, Integer> lastTenth = new HashMap<>();

    public ProgressLog(PrintStream out, StartedMessage started, ProgressMessage progress) {
        this(out, DEFAULT_THRESHOLD_BYTES, started, progress);
    }

    public ProgressLog(PrintStream out, long thresholdBytes, StartedMessage started, ProgressMessage progress) {
        this.out = out;
        this.thresholdBytes = thresholdBytes;
        this.started = started;
        this.progress = progress;
    }

    @Override
    public synchronized void progress(String key, long bytesDone, long bytesTotal) {
        if (bytesTotal < thresholdBytes || bytesTotal <= 0) {
            return;
        }
        int tenth = (int) Math.min(10, Math.max(0, bytesDone * 10 / bytesTotal));
        Integer last = lastTenth.get(key);
        if (last == null) {
            out.println(started.format(key, bytesTotal));
            last = 0;
        }
        if (tenth > last) {
            out.println(progress.format(key, tenth * 10, bytesDone, bytesTotal));
        }
        lastTenth.put(key, Math.max(tenth, last));
    }
}
