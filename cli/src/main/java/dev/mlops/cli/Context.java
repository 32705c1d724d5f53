package dev.mlops.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

/** What a command may touch of the outside world; tests pass their own. */
public record Context(PrintStream out, PrintStream err, Map<String, String> env, Path workingDir, Clock clock) {
    public Context {
        env = Map.copyOf(env);
    }
}
