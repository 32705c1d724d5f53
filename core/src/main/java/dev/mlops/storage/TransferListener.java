package dev.mlops.storage;

/** Progress of a file transfer; called from the transferring thread. */
@FunctionalInterface
public interface TransferListener {
    TransferListener NONE = (key, done, total) -> { };

    void progress(String key, long bytesDone, long bytesTotal);
}
