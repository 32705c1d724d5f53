package dev.mlops.maturity;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What a pipeline does, as found in a Jenkinsfile (steps and stages it uses) or in the
 * {@code mlops.yaml} an {@code mlopsPipeline} Jenkinsfile runs.
 */
public enum Practice {
    MLOPS_LIBRARY("uses the mlops shared library", "@Library\\(\\s*['\"]mlops|\\bmlops[A-Z]\\w*\\s*[(\\[]|\\bmlops(Cli)?\\b"),
    TEMPLATE("runs the mlopsPipeline template", "\\bmlopsPipeline\\b"),
    LABELLED_AGENT("runs on a labelled agent", "\\bnode\\s*\\(\\s*[^)\\s]|agent\\s*\\{\\s*label|\\blabel\\s*[:(]?\\s*['\"]\\w"),
    GPU("trains on a GPU agent", "(?i)['\"]gpu['\"]|requireGpu\\s*:\\s*true|\\block\\s*\\(\\s*label\\s*:\\s*['\"]gpu"),
    TRAIN("trains in CI", "\\bmlopsTrain\\b|\\bmlops\\s+train\\b"),
    REGISTER("registers versions", "\\bmlopsRegister\\b|\\bmlops\\s+register\\b"),
    EVALUATE("evaluates against production", "\\bmlopsEvaluate\\b|\\bmlops\\s+evaluate\\b"),
    APPROVAL("has an approval gate", "\\bmlopsApprove\\b|\\binput\\s*[({]|\\binput\\s+message\\b|\\bmlops\\s+deploy\\s+approve\\b"),
    PROMOTE("promotes to production", "\\bmlopsDeploy\\b|alias\\s*:\\s*['\"]production['\"]|\\bmlops\\s+(deploy|alias\\s+set\\s+\\S+\\s+production)\\b"),
    SMOKE("smoke-tests staging", "(?i)\\bsmoke"),
    CANARY("releases by canary steps", "(?i)\\bcanary"),
    DRIFT_CHECK("checks production traffic for drift", "\\bmlopsDriftCheck\\b|\\bmlops\\s+drift\\b"),
    RETRAIN("retrains on a trigger", "(?i)\\bretrain|GenericTrigger\\b"),
    SCHEDULED("starts without a person (cron, webhook)", "\\bcron\\s*\\(|\\bpollSCM\\s*\\(|\\bGenericTrigger\\b|\\bupstream\\s*\\(");

    private final String description;
    private final Pattern pattern;

    Practice(String description, String regex) {
        this.description = description;
        this.pattern = Pattern.compile(regex);
    }

    public String description() {
        return description;
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Practices a Jenkinsfile shows, comments removed first so an explanation is not taken for a step. */
    public static Set<Practice> in(String jenkinsfile) {
        String code = withoutComments(jenkinsfile);
        Set<Practice> found = EnumSet.noneOf(Practice.class);
        for (Practice p : values()) {
            if (p.pattern.matcher(code).find()) {
                found.add(p);
            }
        }
        return found;
    }

    static String withoutComments(String groovy) {
        StringBuilder out = new StringBuilder(groovy.length());
        for (String line : groovy.split("\\R", -1)) {
            String stripped = line.strip();
            if (stripped.startsWith("//") || stripped.startsWith("*") || stripped.startsWith("/*")) {
                out.append('\n');
                continue;
            }
            int comment = line.indexOf(" //");
            out.append(comment >= 0 ? line.substring(0, comment) : line).append('\n');
        }
        return out.toString();
    }
}
