package dev.mlops.lineage;

import java.util.Map;
import java.util.TreeMap;

/** The CI build that produced something: which system, the link to it, the job and number. */
public record BuildInfo(String system, String url, String job, String number, Map<String, String> extra) {
    public static final BuildInfo LOCAL = new BuildInfo("local", null, null, null, Map.of());

    public BuildInfo {
        extra = extra == null ? Map.of() : Map.copyOf(new TreeMap<>(extra));
    }

    /** Short human form, e.g. "jenkins train-model #42". */
    public String describe() {
        if (url == null && job == null) {
            return system;
        }
        return system + (job != null ? " " + job : "") + (number != null ? " #" + number : "")
                + (url != null ? " " + url : "");
    }
}
