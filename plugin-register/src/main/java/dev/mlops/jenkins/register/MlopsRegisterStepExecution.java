package dev.mlops.jenkins.register;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.mlops.json.Json;
import hudson.EnvVars;
import hudson.FilePath;
import hudson.model.Run;
import hudson.model.TaskListener;
import java.io.IOException;
import java.util.Map;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.SynchronousNonBlockingStepExecution;

/**
 * Runs the registration on the agent that holds the workspace, then, back on the controller,
 * attaches a {@link RegisteredModelAction} to the build and returns the version document
 * (schema {@code mlops.version/v1}) as the step's value. Like every synchronous non-blocking
 * step it does not survive a controller restart; registration is short, so that is acceptable.
 */
public class MlopsRegisterStepExecution extends SynchronousNonBlockingStepExecution<Map<String, Object>> {
    private static final TypeReference<Map<String, Object>> DOCUMENT = new TypeReference<>() { };

    private final transient MlopsRegisterStep step;

    MlopsRegisterStepExecution(MlopsRegisterStep step, StepContext context) {
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

        String json = workspace.act(new RegisterOnAgent(step.toArgs(), env, listener));
        Map<String, Object> document = parse(json);

        RegisteredModelAction action = RegisteredModelAction.fromDocument(document);
        run.addAction(action);
        listener.getLogger().println(Messages.registered(action.getRef(), action.getRegistry()));
        return document;
    }

    private static Map<String, Object> parse(String json) throws IOException {
        return Json.mapper().readValue(json, DOCUMENT);
    }

    private static final long serialVersionUID = 1L;
}
