package dev.mlops.jenkins.evaluate;

import dev.mlops.error.MlopsException;
import dev.mlops.jenkins.support.ProgressLog;
import dev.mlops.jenkins.support.Redaction;
import dev.mlops.json.Json;
import dev.mlops.workflow.EvaluateCandidate;
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
 * The agent-side half of {@code mlopsEvaluate}: runs the core use case with the workspace as
 * working directory and the step's environment (so credentials bound by {@code withCredentials}
 * reach the registry), writes evaluation.json and evaluation.html there, and returns the summary
 * (schema {@value #SCHEMA}, the same as {@code mlops evaluate --json}) as JSON text, a JEP-200-safe
 * type. Core errors become {@link AbortException}s: one line, no stack trace. The environment is
 * never printed; {@link #toString()} leaves it out.
 */
final class EvaluateOnAgent extends MasterToSlaveFileCallable<String> {
    static final String SCHEMA = EvaluateCandidate.Result.SUMMARY_SCHEMA;

    private final EvaluateArgs args;
    private final TreeMap<String, String> env;
    private final TaskListener listener;

    EvaluateOnAgent(EvaluateArgs args, Map<String, String> env, TaskListener listener) {
        this.args = args;
        this.env = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        this.env.putAll(env);
        this.listener = listener;
    }

    @Override
    public String invoke(File workspace, VirtualChannel channel) throws IOException, InterruptedException {
        try {
            EvaluateCandidate.Result result = EvaluateCandidate.run(args.toInput(), workspace.toPath(), env, Clock.systemUTC(),
                    new ProgressLog(listener.getLogger(), Messages::downloadStarted, Messages::downloadProgress));
            return Json.toString(summary(result));
        } catch (MlopsException e) {
            throw new AbortException(Messages.failed(Redaction.redact(e.getMessage(), env)));
        }
    }

    /** The fields of {@code mlops evaluate --json}, in its order. */
    static Map<String, Object> summary(EvaluateCandidate.Result result) {
        return result.summary();
    }

    @Override
    public String toString() {
        return "EvaluateOnAgent[" + args.candidate() + "]";
    }

    private static final long serialVersionUID = 1L;
}
