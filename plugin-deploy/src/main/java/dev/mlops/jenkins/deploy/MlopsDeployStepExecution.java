package dev.mlops.jenkins.deploy;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.mlops.json.Json;
import hudson.AbortException;
import hudson.EnvVars;
import hudson.FilePath;
import hudson.model.Result;
import hudson.model.Run;
import hudson.model.TaskListener;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.SynchronousNonBlockingStepExecution;

/**
 * Runs the action on the agent ({@link DeployOnAgent}), attaches a {@link RolloutAction} with where the
 * rollout stands, then applies the outcome: ROLLED_BACK, FAILED or ABORTED fail the step (the log first
 * says where traffic went), PAUSED_INCONCLUSIVE makes the build UNSTABLE. Returns the outcome map
 * (schema {@code mlops.deploy-step/v1}).
 */
public class MlopsDeployStepExecution extends SynchronousNonBlockingStepExecution<Map<String, Object>> {
    private static final TypeReference<Map<String, Object>> OUTCOME = new TypeReference<>() { };

    private final transient MlopsDeployStep step;

    MlopsDeployStepExecution(MlopsDeployStep step, StepContext context) {
        super(context);
        this.step = step;
    }

    @Override
    protected Map<String, Object> run() throws Exception {
        DeployArgs args = step.toArgs();
        List<String> problems = args.problems();
        if (!problems.isEmpty()) {
            throw new AbortException(DeployMessages.bad(problems));
        }
        StepContext context = getContext();
        FilePath workspace = context.get(FilePath.class);
        EnvVars env = context.get(EnvVars.class);
        TaskListener listener = context.get(TaskListener.class);
        Run<?, ?> run = context.get(Run.class);
        PrintStream log = listener.getLogger();

        Map<String, Object> r = Json.mapper().readValue(workspace.act(new DeployOnAgent(args, env, listener)), OUTCOME);
        RolloutAction action = RolloutAction.from(r, run.getActions(RolloutAction.class).size() + 1);
        run.addAction(action);
        String ref = args.model() + ":" + r.get("version");
        log.println(DeployMessages.state(args.action(), ref, String.valueOf(r.get("state")), (String) r.get("url")));
        Object code = r.get("exitCode");
        if (Integer.valueOf(5).equals(code)) {
            throw new AbortException(DeployMessages.rolledBack(args.action(), ref, String.valueOf(r.get("state")), String.valueOf(r.get("why")),
                    (Integer) r.get("previous"), args.model()));
        }
        if (Integer.valueOf(6).equals(code)) {
            log.println(DeployMessages.paused(ref, ((Number) r.getOrDefault("canaryWeight", 0)).intValue(), args.model()));
            run.setResult(Result.UNSTABLE);
        }
        return r;
    }

    private static final long serialVersionUID = 1L;
}
