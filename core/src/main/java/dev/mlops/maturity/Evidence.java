package dev.mlops.maturity;

import java.util.List;
import java.util.Set;

/**
 * What {@link MaturityAssessment} found in a repository: the pipeline's practices and the records
 * that show them happening. Paths are as found (relative to the repository where they are inside it).
 *
 * @param jenkinsfile          the Jenkinsfile, or null
 * @param jenkinsfilePractices practices the Jenkinsfile shows
 * @param configPractices      practices mlops.yaml switches on; they count only when the Jenkinsfile runs mlopsPipeline
 * @param config               mlops.yaml, or null
 * @param configLevel          the level mlops.yaml configures, or null when absent or invalid
 * @param configProblems       its problems when invalid
 * @param registry             where the registry was read, with a note when it was not found
 * @param versionsWithLineage  versions whose lineage names a git commit, a training run or a dataset
 * @param productionPromotions forward moves of a {@code production} alias in the audit log
 * @param rollbacks            backward moves of {@code production} and rolled-back rollouts
 * @param ciEvents             audit events written from a CI build (not "local")
 * @param canaryAnalysed       rollouts whose history has at least one analysed canary step
 * @param driftReports         drift reports found (drift.json under .mlops)
 */
public record Evidence(String jenkinsfile, Set<Practice> jenkinsfilePractices, Set<Practice> configPractices, String config, Integer configLevel, List<String> configProblems,
                       String registry, boolean registryFound, int models, int versions, int versionsWithLineage, int aliases,
                       boolean productionAlias, int auditEvents, boolean auditIntact, int ciEvents, int productionPromotions,
                       int approvals, int rollbacks, int retrainTriggers, String runsDir, int runs, int succeededRuns,
                       String rolloutsDir, int rollouts, int canaryAnalysed, List<String> driftReports) {
    public Evidence {
        jenkinsfilePractices = Set.copyOf(jenkinsfilePractices);
        configPractices = Set.copyOf(configPractices);
        configProblems = List.copyOf(configProblems);
        driftReports = List.copyOf(driftReports);
    }

    public boolean has(Practice practice) {
        return jenkinsfilePractices.contains(practice) || usesTemplate() && configPractices.contains(practice);
    }

    public boolean usesTemplate() {
        return jenkinsfilePractices.contains(Practice.TEMPLATE);
    }

    /** Where the pipeline shows {@code practice}: "Jenkinsfile", "mlops.yaml", both, or null. */
    public String sourceOf(Practice practice) {
        boolean inJenkinsfile = jenkinsfilePractices.contains(practice);
        boolean inConfig = usesTemplate() && configPractices.contains(practice);
        return inJenkinsfile && inConfig ? "Jenkinsfile, mlops.yaml" : inJenkinsfile ? "Jenkinsfile" : inConfig ? "mlops.yaml" : null;
    }
}
