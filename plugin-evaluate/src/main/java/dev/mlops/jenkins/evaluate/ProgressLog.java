package dev.mlops.jenkins.evaluate;

import dev.mlops.storage.TransferListener;
import java.io.PrintStream;
import java.util.HashMap;
import java.util.Map;

/**
 * Logs model downloads of at least {@link #DEFAULT_THRESHOLD_BYTES} to the build log: one line
 * when a file starts, then one per 10 % step. Smaller files stay silent.
 */
final class ProgressLog implements TransferListener {
    static final long DEFAULT_THRESHOLD_BYTES = 4L * 1024 * 1024;

    private final PrintStream out;
    private final Map<String, Integer> lastTenth = new HashMap<>();

    ProgressLog(PrintStream out) {
        this.out = out;
    }

    @Override
    public synchronized void progress(String key, long bytesDone, long bytesTotal) {
        if (bytesTotal < DEFAULT_THRESHOLD_BYTES || bytesTotal <= 0) {
            return;
        }
        int tenth = (int) Math.min(10, Math.max(0, bytesDone * 10 / bytesTotal));
        Integer last = lastTenth.get(key);
        if (last == null) {
            out.println(Messages.downloadStarted(key, bytesTotal));
            last = 0;
        }
        if (tenth > last) {
            out.println(Messages.downloadProgress(key, tenth * 10, bytesDone, bytesTotal));
        }
        lastTenth.put(key, Math.max(tenth, last));
    }
}
