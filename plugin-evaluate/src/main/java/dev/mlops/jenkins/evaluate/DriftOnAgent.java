package dev.mlops.jenkins.evaluate;

import dev.mlops.error.MlopsException;
import dev.mlops.jenkins.support.Redaction;
import dev.mlops.json.Json;
import dev.mlops.monitor.DriftVerdict;
import hudson.AbortException;
import hudson.model.TaskListener;
import hudson.remoting.VirtualChannel;
import java.io.File;
import java.io.IOException;
import java.time.Clock;
import java.util.Map;
import java.util.TreeMap;
import jenkins.MasterToSlaveFileCallable;

/**
 * The agent-side half of {@code mlopsDriftCheck}: runs {@link DriftVerdict} with the workspace as working
 * directory and the step's environment (the webhook secret bound by {@code withCredentials} is read there,
 * by variable name, and never printed), and returns the summary as JSON text. Core errors become
 * one-line {@link AbortException}s, redacted.
 */
final class DriftOnAgent extends MasterToSlaveFileCallable<String> {
    private final DriftArgs args;
    private final TreeMap<String, String> env;
    private final TaskListener listener;

    DriftOnAgent(DriftArgs args, Map<String, String> env, TaskListener listener) {
        this.args = args;
        this.env = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        this.env.putAll(env);
        this.listener = listener;
    }

    @Override
    public String invoke(File workspace, VirtualChannel channel) throws IOException, InterruptedException {
        try {
            DriftVerdict.Result result = DriftVerdict.run(args.toInput(), workspace.toPath(), env, Clock.systemUTC(),
                    line -> listener.getLogger().println(DriftMessages.failed(Redaction.redact(line, env))));
            return Json.toString(result.summary());
        } catch (MlopsException | IllegalArgumentException e) {
            throw new AbortException(DriftMessages.failed(Redaction.redact(e.getMessage(), env)));
        }
    }

    @Override
    public String toString() {
        return "DriftOnAgent[" + args.reference() + "]";
    }

    private static final long serialVersionUID = 1L;
}
