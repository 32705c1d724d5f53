package dev.mlops.cli;

import dev.mlops.storage.TransferListener;
import java.io.PrintStream;

/** Transfer progress on stderr for files over a few MB: at most every 10% and on completion. */
final class Progress implements TransferListener {
    static final long THRESHOLD_BYTES = 4L << 20;
    private final PrintStream err;
    private final String verb;
    private String currentKey;
    private int lastDecile = -1;

    Progress(PrintStream err, String verb) {
        this.err = err;
        this.verb = verb;
    }

    @Override
    public void progress(String key, long done, long total) {
        if (total < THRESHOLD_BYTES) {
            return;
        }
        if (!key.equals(currentKey)) {
            currentKey = key;
            lastDecile = -1;
        }
        int decile = (int) (done * 10 / total);
        if (decile != lastDecile) {
            lastDecile = decile;
            err.printf("%s %s: %3d%% (%.1f of %.1f MB)%n", verb, key, decile * 10, done / 1e6, total / 1e6);
        }
    }
}
