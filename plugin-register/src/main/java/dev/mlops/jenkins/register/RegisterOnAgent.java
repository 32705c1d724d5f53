package dev.mlops.jenkins.register;

import dev.mlops.error.MlopsException;
import dev.mlops.jenkins.support.ProgressLog;
import dev.mlops.jenkins.support.Redaction;
import dev.mlops.json.Json;
import dev.mlops.registry.Registration;
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
 * The agent-side half of {@code mlopsRegister}: calls the core registration use case with the
 * workspace as working directory and the step's environment (so credentials bound by
 * {@code withCredentials} reach the artifact store), and returns the version document as JSON
 * text, a JEP-200-safe type. Core errors become {@link AbortException}s: one line, no stack trace.
 * The environment is never printed; {@link #toString()} leaves it out.
 */
final class RegisterOnAgent extends MasterToSlaveFileCallable<String> {
    private final RegisterArgs args;
    private final TreeMap<String, String> env;
    private final TaskListener listener;

    RegisterOnAgent(RegisterArgs args, Map<String, String> env, TaskListener listener) {
        this.args = args;
        this.env = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        this.env.putAll(env);
        this.listener = listener;
    }

    @Override
    public String invoke(File workspace, VirtualChannel channel) throws IOException, InterruptedException {
        try {
            return Json.toString(Registration.registerDocument(args.toInput(), workspace.toPath(), env, Clock.systemUTC(),
                    new ProgressLog(listener.getLogger(), Messages::transferStarted, Messages::transferProgress)));
        } catch (MlopsException e) {
            throw new AbortException(Messages.failed(Redaction.redact(e.getMessage(), env)));
        }
    }

    @Override
    public String toString() {
        return "RegisterOnAgent[" + args.model() + "]";
    }

    private static final long serialVersionUID = 1L;
}
