package dev.mlops.jenkins.evaluate;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.mlops.evaluate.ReportWriter;
import dev.mlops.json.Json;
import hudson.AbortException;
import hudson.EnvVars;
import hudson.FilePath;
import hudson.model.Result;
import hudson.model.Run;
import hudson.model.TaskListener;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.util.Map;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.SynchronousNonBlockingStepExecution;

/**
 * Runs the evaluation on the agent that holds the workspace ({@link EvaluateOnAgent}), copies
 * evaluation.html and evaluation.json into the build's own folder on the controller (so the report
 * outlives the workspace), attaches an {@link EvaluationReportAction}, then applies the policy:
 * <ul>
 *   <li>PASS: the step returns the summary; the build result is left alone;</li>
 *   <li>INCONCLUSIVE: the build becomes UNSTABLE (never a silent SUCCESS) and the log says a person
 *       must decide; with {@code failOnInconclusive} the build fails instead;</li>
 *   <li>FAIL and ERROR: the build is marked FAILURE and the step fails with the reason and the
 *       report's link (even a script that catches the error keeps the FAILURE).</li>
 * </ul>
 * Evaluation is short, so a synchronous non-blocking execution (not durable over a controller
 * restart) is acceptable.
 */
public class MlopsEvaluateStepExecution extends SynchronousNonBlockingStepExecution<Map<String, Object>> {
    private static final TypeReference<Map<String, Object>> SUMMARY = new TypeReference<>() { };

    private final transient MlopsEvaluateStep step;

    MlopsEvaluateStepExecution(MlopsEvaluateStep step, StepContext context) {
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
        PrintStream log = listener.getLogger();

        Map<String, Object> summary = parse(workspace.act(new EvaluateOnAgent(step.toArgs(), env, listener)));

        int index = run.getActions(EvaluationReportAction.class).size() + 1;
        String folder = Messages.BUILD_DIR + "/" + index;
        File keep = new File(run.getRootDir(), folder);
        copy(workspace, (String) summary.get("report"), new File(keep, ReportWriter.HTML_FILE));
        copy(workspace, (String) summary.get("reportJson"), new File(keep, ReportWriter.JSON_FILE));
        EvaluationReportAction action = EvaluationReportAction.fromSummary(summary, index, folder);
        run.addAction(action);
        String url = run.getUrl() + action.getUrlName() + "/";
        summary.put("reportUrl", url);

        String outcome = action.getOutcome();
        String reason = action.getReason();
        log.println(Messages.verdict(outcome, reason, action.getCandidate(), action.getBaseline()));
        log.println(Messages.report(url, String.valueOf(summary.get("report"))));
        switch (outcome) {
            case "PASS":
                return summary;
            case "INCONCLUSIVE":
                if (step.isFailOnInconclusive()) {
                    run.setResult(Result.FAILURE);
                    throw new AbortException(Messages.inconclusiveFails(reason, url));
                }
                log.println(Messages.inconclusive());
                run.setResult(Result.UNSTABLE);
                return summary;
            default: // FAIL, ERROR
                run.setResult(Result.FAILURE);
                throw new AbortException(Messages.stepFailed(outcome, reason, url));
        }
    }

    /** Copies one report file from the agent's workspace into the build's folder on the controller. */
    private static void copy(FilePath workspace, String agentPath, File target) throws IOException, InterruptedException {
        FilePath to = new FilePath(target);
        FilePath parent = to.getParent();
        if (parent != null) {
            parent.mkdirs();
        }
        new FilePath(workspace.getChannel(), agentPath).copyTo(to);
    }

    private static Map<String, Object> parse(String json) throws IOException {
        return Json.mapper().readValue(json, SUMMARY);
    }

    private static final long serialVersionUID = 1L;
}
