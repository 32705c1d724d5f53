package dev.mlops.jenkins.deploy;

import hudson.AbortException;
import hudson.model.Run;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import jenkins.model.RunAction2;

/**
 * The build's pending approval gates, served at {@code <build>/mlops-approval/} (like input's
 * {@code InputAction}). Only the pending ids are saved with the build; the executions are transient and
 * reached through {@link #getDynamic(String)}. Hidden from the side panel when nothing is pending.
 * After a controller restart the ids are still listed but their executions are not found again here
 * (the real input step looks them up through the FlowExecution; not stubbed in this project).
 */
public class ApprovalAction implements RunAction2 {
    public static final String URL_NAME = "mlops-approval";
    static final String DUPLICATE = "another mlopsApprove with id '%s' is already waiting in this build; give each gate its own id";

    private final CopyOnWriteArrayList<String> ids = new CopyOnWriteArrayList<>();
    private transient Run<?, ?> run;
    private transient Map<String, MlopsApproveStepExecution> executions;

    @Override
    public String getIconFileName() {
        return ids.isEmpty() ? null : "help.png";
    }

    @Override
    public String getDisplayName() {
        return "MLOps approval";
    }

    @Override
    public String getUrlName() {
        return URL_NAME;
    }

    @Override
    public void onAttached(Run<?, ?> r) {
        run = r;
    }

    @Override
    public void onLoad(Run<?, ?> r) {
        run = r;
    }

    private synchronized Map<String, MlopsApproveStepExecution> executions() {
        if (executions == null) { // XStream does not run field initialisers of transient fields
            executions = new ConcurrentHashMap<>();
        }
        return executions;
    }

    synchronized void add(MlopsApproveStepExecution execution) throws IOException {
        if (ids.contains(execution.getId())) {
            throw new AbortException(String.format(DUPLICATE, execution.getId()));
        }
        ids.add(execution.getId());
        executions().put(execution.getId(), execution);
        save();
    }

    synchronized void remove(MlopsApproveStepExecution execution) throws IOException {
        if (executions().get(execution.getId()) == execution) {
            executions().remove(execution.getId());
        }
        ids.remove(execution.getId());
        save();
    }

    private void save() throws IOException {
        if (run != null) {
            run.save();
        }
    }

    /** Ids of the gates still waiting (what is saved with the build). */
    public List<String> getIds() {
        return List.copyOf(ids);
    }

    public boolean isWaiting() {
        return !ids.isEmpty();
    }

    public MlopsApproveStepExecution getExecution(String id) {
        return executions().get(id);
    }

    /** The pending gates this controller knows, in the order they started. */
    public List<MlopsApproveStepExecution> getExecutions() {
        List<MlopsApproveStepExecution> out = new ArrayList<>();
        for (String id : ids) {
            MlopsApproveStepExecution e = executions().get(id);
            if (e != null) {
                out.add(e);
            }
        }
        return out;
    }

    /** Stapler: {@code <build>/mlops-approval/<id>/proceed} dispatches to that gate's execution. */
    public Object getDynamic(String id) {
        return getExecution(id);
    }

    public Run<?, ?> getRun() {
        return run;
    }
}
