package dev.mlops.jenkins.train;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.mlops.json.Json;
import hudson.AbortException;
import hudson.EnvVars;
import hudson.FilePath;
import hudson.model.Run;
import hudson.model.TaskListener;
import java.io.IOException;
import java.util.Map;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.SynchronousNonBlockingStepExecution;

/**
 * Runs the training on the agent that holds the workspace ({@link TrainOnAgent} through
 * {@code workspace.act}), then, back on the controller, attaches a {@link TrainingRunAction} and
 * returns the run document ({@code mlops.run/v1} plus {@code reused}) as the step's value. A run
 * that did not succeed is attached too, then fails the step.
 *
 * <p><strong>Not durable.</strong> Like every {@link SynchronousNonBlockingStepExecution} this
 * holds a controller thread while the agent trains and does <em>not</em> survive a controller
 * restart: {@code onResume} fails the step and the training started on the agent is orphaned
 * (recorded RUNNING, never reused). For long GPU trainings prefer the shared library's
 * {@code mlopsTrain}, which runs {@code mlops train} through the durable {@code sh} step.
 *
 * <p>Aborting the build calls {@link #stop}, which interrupts {@link #run()}; the interrupt reaches
 * the training on the agent, which terminates the training command's whole process tree and
 * records the run CANCELLED.
 */
public class MlopsTrainStepExecution extends SynchronousNonBlockingStepExecution<Map<String, Object>> {
    private static final TypeReference<Map<String, Object>> DOCUMENT = new TypeReference<>() { };

    private final transient MlopsTrainStep step;

    MlopsTrainStepExecution(MlopsTrainStep step, StepContext context) {
        super(context);
        this.step = step;
    }

    @Override
    protected Map<String, Object> run() throws Exception {
        StepContext context = getContext();
        FilePath workspace = context.get(FilePath.class);
        EnvVars env = context.get(EnvVars.class);
        TaskListener listener = context.get(TaskListener.class);
        Run<?, ?> run = context.get(Run.class);

        String json = workspace.act(new TrainOnAgent(step.toArgs(), env, listener));
        Map<String, Object> document = parse(json);

        TrainingRunAction action = TrainingRunAction.fromDocument(document);
        if (run.getActions(TrainingRunAction.class).stream().noneMatch(a -> a.getId().equals(action.getId()))) {
            run.addAction(action);
        }
        listener.getLogger().println(Messages.finished(action.getId(), action.getStatus(), action.isReused()));
        if ("CANCELLED".equals(action.getStatus())) {
            throw new AbortException(Messages.cancelled(action.getId()));
        }
        if (!action.isSucceeded()) {
            throw new AbortException(Messages.runNotSucceeded(action.getId(), action.getStatus(), action.getError()));
        }
        return document;
    }

    private static Map<String, Object> parse(String json) throws IOException {
        return Json.mapper().readValue(json, DOCUMENT);
    }

    private static final long serialVersionUID = 1L;
}
