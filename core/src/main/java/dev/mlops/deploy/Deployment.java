package dev.mlops.deploy;

import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;

/**
 * One running deployment of a model version in a stage: where it answers, how to stop it.
 *
 * @param pid       the process id (local processes), or -1
 * @param adminPort the server's admin port for traffic changes, or null
 */
public record Deployment(String stage, String model, int version, URI url, long pid, Integer adminPort, Path logFile,
                         Instant startedAt) {
}
