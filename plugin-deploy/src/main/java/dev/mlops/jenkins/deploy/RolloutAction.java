package dev.mlops.jenkins.deploy;

import dev.mlops.jenkins.support.BuildPageAction;
import java.util.Map;

/**
 * The build page of one mlopsDeploy call ({@code <build>/mlops-rollout[-N]/}): action, model version,
 * rollout state, canary weight, the last transition's reason and where it answers. Plain values only.
 */
public class RolloutAction extends BuildPageAction {
    private final int index;
    private final String action;
    private final String model;
    private final String version;
    private final String state;
    private final String rollout;
    private final int canaryWeight;
    private final String why;
    private final String url;
    private final String describe;

    RolloutAction(int index, String action, String model, String version, String state, String rollout, int canaryWeight, String why,
                  String url, String describe) {
        this.index = index;
        this.action = action;
        this.model = model;
        this.version = version;
        this.state = state;
        this.rollout = rollout;
        this.canaryWeight = canaryWeight;
        this.why = why;
        this.url = url;
        this.describe = describe;
    }

    static RolloutAction from(Map<String, Object> r, int index) {
        Object weight = r.get("canaryWeight");
        return new RolloutAction(index, text(r, "action"), text(r, "model"), text(r, "version"), text(r, "state"), text(r, "rollout"),
                weight instanceof Number n ? n.intValue() : 0, text(r, "why"), text(r, "url"), text(r, "describe"));
    }

    private static String text(Map<String, Object> r, String key) {
        Object v = r.get(key);
        return v == null ? null : v.toString();
    }

    @Override
    public String getIconFileName() {
        return "clipboard.png";
    }

    @Override
    public String getDisplayName() {
        return "Rollout: " + action + " " + model + (version == null ? "" : ":" + version);
    }

    @Override
    public String getUrlName() {
        return index == 1 ? "mlops-rollout" : "mlops-rollout-" + index;
    }

    public String getAction() {
        return action;
    }

    public String getModel() {
        return model;
    }

    public String getVersion() {
        return version;
    }

    public String getState() {
        return state;
    }

    public String getRollout() {
        return rollout;
    }

    public int getCanaryWeight() {
        return canaryWeight;
    }

    public String getWhy() {
        return why;
    }

    public String getUrl() {
        return url;
    }

    public String getDescribe() {
        return describe;
    }
}
