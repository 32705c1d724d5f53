package dev.mlops.registry;

import java.nio.file.Path;
import java.util.List;

/** Files written by a verified download. */
public record DownloadResult(ModelVersion version, Path directory, List<Path> files) {
    public DownloadResult {
        files = List.copyOf(files);
    }
}
