package dev.mlops.jenkins.register;

import dev.mlops.storage.TransferListener;
import java.io.PrintStream;
import java.util.HashMap;
import java.util.Map;

/**
 * Logs uploads of at least {@link #DEFAULT_THRESHOLD_BYTES} to the build log: one line when a
 * file starts, then one per 10 % step. Smaller files stay silent (the final summary names them).
 */
final class ProgressLog implements TransferListener {
    static final long DEFAULT_THRESHOLD_BYTES = 4L * 1024 * 1024;

    private final PrintStream out;
    private final long thresholdBytes;
    private final Map<String, Integer> lastTenth = new HashMap<>();

    ProgressLog(PrintStream out) {
        this(out, DEFAULT_THRESHOLD_BYTES);
    }

    ProgressLog(PrintStream out, long thresholdBytes) {
        this.out = out;
        this.thresholdBytes = thresholdBytes;
    }

    @Override
    public synchronized void progress(String key, long bytesDone, long bytesTotal) {
        if (bytesTotal < thresholdBytes || bytesTotal <= 0) {
            return;
        }
        int tenth = (int) Math.min(10, Math.max(0, bytesDone * 10 / bytesTotal));
        Integer last = lastTenth.get(key);
        if (last == null) {
            out.println(Messages.transferStarted(key, bytesTotal));
            last = 0;
        }
        if (tenth > last) {
            out.println(Messages.transferProgress(key, tenth * 10, bytesDone, bytesTotal));
        }
        lastTenth.put(key, Math.max(tenth, last));
    }
}
