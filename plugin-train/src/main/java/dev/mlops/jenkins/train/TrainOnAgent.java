package dev.mlops.jenkins.train;

import dev.mlops.error.InvalidInputException;
import dev.mlops.error.MlopsException;
import dev.mlops.jenkins.support.Redaction;
import dev.mlops.json.Json;
import dev.mlops.train.GpuProbe;
import dev.mlops.train.RunStore;
import dev.mlops.train.Trainer;
import dev.mlops.train.Trainers;
import dev.mlops.train.TrainingListener;
import dev.mlops.train.TrainingOutcome;
import dev.mlops.train.TrainingService;
import hudson.AbortException;
import hudson.model.TaskListener;
import hudson.remoting.VirtualChannel;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Clock;
import java.util.Map;
import java.util.TreeMap;
import jenkins.MasterToSlaveFileCallable;

/**
 * The agent-side half of {@code mlopsTrain}: runs the core training use case with the workspace as
 * working directory and the step's environment, printing the training's output and per-epoch
 * progress to the build log as it comes, and returns the run document ({@code mlops.run/v1} plus
 * {@code reused}) as JSON text, a JEP-200-safe type.
 *
 * <p>Cancellation: interrupting the thread that runs {@link #invoke} cancels the training; a
 * training command's whole process tree is terminated (SIGTERM, then SIGKILL after the grace
 * period) and the run is recorded CANCELLED. On an agent, the controller-side interrupt (the
 * step's {@code stop}) reaches this thread through remoting, which cancels the remote call.
 *
 * <p>Core errors become {@link AbortException}s: one line, no stack trace. The environment is
 * never printed; {@link #toString()} leaves it out.
 */
final class TrainOnAgent extends MasterToSlaveFileCallable<String> {
    private final TrainArgs args;
    private final TreeMap<String, String> env;
    private final TaskListener listener;

    TrainOnAgent(TrainArgs args, Map<String, String> env, TaskListener listener) {
        this.args = args;
        this.env = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        this.env.putAll(env);
        this.listener = listener;
    }

    @Override
    public String invoke(File workspace, VirtualChannel channel) throws IOException, InterruptedException {
        Clock clock = Clock.systemUTC();
        try {
            Trainer trainer = Trainers.create(args.trainer(), args.command());
            GpuProbe gpus = new GpuProbe(args.nvidiaSmi());
            if (args.requireGpu()) {
                requireGpu(gpus);
            }
            TrainingService service = new TrainingService(
                    RunStore.open(args.runsDir(), workspace.toPath(), env, clock), clock, gpus);
            TrainingOutcome outcome = service.train(trainer, args.toRequest(workspace.toPath(), env), log(listener.getLogger()));
            return Json.toString(outcome.document());
        } catch (MlopsException e) {
            throw new AbortException(Messages.failed(Redaction.redact(e.getMessage(), env)));
        }
    }

    private void requireGpu(GpuProbe gpus) throws AbortException {
        try {
            gpus.requireGpu(env);
        } catch (InvalidInputException e) {
            throw new AbortException(Messages.noGpu(env.get("NODE_NAME"), host(e.getMessage())));
        }
    }

    /** The host named in core's message ("... on host H (agent A): ..."), else this machine's name. */
    static String host(String coreMessage) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("on host (\\S+)").matcher(String.valueOf(coreMessage));
        if (m.find()) {
            String h = m.group(1);
            return h.endsWith(":") ? h.substring(0, h.length() - 1) : h;
        }
        return "unknown";
    }

    /** Training output and progress lines to the build log, secrets masked. */
    private TrainingListener log(PrintStream out) {
        TrainingListener plain = TrainingListener.printTo(out);
        return new TrainingListener() {
            @Override
            public void output(String stream, String line) {
                plain.output(stream, Redaction.redact(line, env));
            }

            @Override
            public void progress(dev.mlops.train.TrainingProgress progress) {
                plain.progress(progress);
            }

            @Override
            public void message(String message) {
                plain.message(Redaction.redact(message, env));
            }
        };
    }

    @Override
    public String toString() {
        return "TrainOnAgent[" + args.trainer() + "]";
    }

    private static final long serialVersionUID = 1L;
}
