package dev.mlops.jenkins.evaluate;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.mlops.drift.DriftReports;
import dev.mlops.json.Json;
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
 * Runs the drift check on the agent ({@link DriftOnAgent}), copies drift.html and drift.json into the
 * build's folder on the controller, attaches a {@link DriftReportAction} (per-feature table, the report),
 * logs the verdict and the retrain outcome, and marks the build UNSTABLE on drift unless
 * {@code unstableOnDrift: false}. Returns the summary (schema {@code mlops.drift-summary/v1}) with
 * {@code reportUrl}, the build page.
 */
public class MlopsDriftCheckStepExecution extends SynchronousNonBlockingStepExecution<Map<String, Object>> {
    private static final TypeReference<Map<String, Object>> SUMMARY = new TypeReference<>() { };

    private final transient MlopsDriftCheckStep step;

    MlopsDriftCheckStepExecution(MlopsDriftCheckStep step, StepContext context) {
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

        int index = run.getActions(DriftReportAction.class).size() + 1;
        String urlName = DriftReportAction.urlName(index);
        String buildUrl = env.get("BUILD_URL");
        DriftArgs args = step.toArgs().withDefaultReportUrl(buildUrl == null ? null : buildUrl + urlName + "/report");
        Map<String, Object> summary = Json.mapper().readValue(workspace.act(new DriftOnAgent(args, env, listener)), SUMMARY);

        String folder = DriftMessages.BUILD_DIR + "/" + index;
        File keep = new File(run.getRootDir(), folder);
        copy(workspace, (String) summary.get("report"), new File(keep, DriftReports.HTML_FILE));
        copy(workspace, (String) summary.get("report_json"), new File(keep, DriftReports.JSON_FILE));
        DriftReportAction action = DriftReportAction.fromSummary(summary, index, folder);
        run.addAction(action);
        String url = run.getUrl() + action.getUrlName() + "/";
        summary.put("reportUrl", url);

        log.println(DriftMessages.verdict(action.isDrift(), action.getDriftedFeatures(), action.getEvaluatedFeatures(), action.getReference(),
                action.getCurrentRows()));
        if (action.getRetrainOutcome() != null) {
            log.println(DriftMessages.retrain(action.getRetrainOutcome(), action.getRetrainReason()));
        }
        log.println(DriftMessages.report(url, String.valueOf(summary.get("report"))));
        if (action.isDrift() && step.isUnstableOnDrift()) {
            log.println(DriftMessages.unstable());
            run.setResult(Result.UNSTABLE);
        }
        return summary;
    }

    private static void copy(FilePath workspace, String agentPath, File target) throws IOException, InterruptedException {
        FilePath to = new FilePath(target);
        FilePath parent = to.getParent();
        if (parent != null) {
            parent.mkdirs();
        }
        new FilePath(workspace.getChannel(), agentPath).copyTo(to);
    }

    private static final long serialVersionUID = 1L;
}
