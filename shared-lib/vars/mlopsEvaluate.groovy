// mlopsEvaluate: evaluates a candidate model against production through the mlops CLI. Help: mlopsEvaluate.txt.
import groovy.transform.Field

@Field final List ARGUMENTS = ['model', 'candidate', 'baseline', 'holdout', 'label', 'slices', 'gate', 'reportDir',
                               'runsDir', 'registry', 'credentialsId', 'archive', 'publish', 'failOnFail',
                               'failOnInconclusive']
/** The CLI's default report folder, relative to the workspace. */
@Field final String DEFAULT_REPORT_DIR = '.mlops/reports/evaluation'

/**
 * Runs `mlops evaluate ... --no-fail --json`, archives evaluation.html and evaluation.json, then applies the policy:
 * PASS returns; INCONCLUSIVE makes the build UNSTABLE (a person decides); FAIL and ERROR fail the build with `error`
 * unless failOnFail: false. Returns the summary (schema mlops.evaluation-summary/v1).
 */
Map call(Map args = [:]) {
    List problems = check(args)
    if (problems) {
        error("mlopsEvaluate: ${problems.join('; ')}")
    }
    String reportDir = reportFolder(args)
    Map summary = mlopsCli.runJson('mlopsEvaluate', commandArgs(args, reportDir), args)
    if (args.archive != false) {
        archiveArtifacts(artifacts: "${reportDir}/evaluation.*".toString(), allowEmptyArchive: false, fingerprint: false)
    }
    if (args.publish) {
        publish(reportDir)
    }
    String outcome = summary.outcome?.toString()
    String headline = verdictLine(outcome, summary.reason?.toString())
    echo "mlopsEvaluate: ${headline} (candidate ${summary.candidate} against ${summary.baseline ?: 'no baseline: first model'})"
    echo "mlopsEvaluate: report ${reportDir}/evaluation.html${args.archive != false ? ' (archived with this build)' : ''}"
    if (outcome == 'PASS') {
        return summary
    }
    if (outcome == 'INCONCLUSIVE') {
        if (args.failOnInconclusive) {
            error("mlopsEvaluate: ${headline} (failOnInconclusive: true); report: ${reportDir}/evaluation.html")
        }
        currentBuild.result = 'UNSTABLE'
        echo 'mlopsEvaluate: INCONCLUSIVE: the gate cannot tell whether the candidate is better; the build is UNSTABLE ' +
                'and a person must decide (read the report, then approve or reject, e.g. with the input step)'
        return summary
    }
    // FAIL, ERROR (and any outcome this library does not know yet)
    if (args.failOnFail == false) {
        echo "mlopsEvaluate: ${outcome} with failOnFail: false: the build goes on; do not promote this candidate"
        return summary
    }
    error("mlopsEvaluate: ${headline}; report: ${reportDir}/evaluation.html")
}

/** publishHTML when the HTML Publisher plugin is installed; a note in the log otherwise. */
void publish(String reportDir) {
    try {
        publishHTML([reportDir: reportDir, reportFiles: 'evaluation.html', reportName: 'Model evaluation',
                     keepAll: true, alwaysLinkToLastBuild: false, allowMissing: false])
    } catch (NoSuchMethodError e) {
        echo 'mlopsEvaluate: publish: true needs the HTML Publisher plugin (publishHTML), which is not installed; the report is archived'
    } catch (MissingMethodException e) {
        echo 'mlopsEvaluate: publish: true needs the HTML Publisher plugin (publishHTML), which is not installed; the report is archived'
    }
}

@NonCPS
String reportFolder(Map args) {
    String dir = (args.reportDir ?: DEFAULT_REPORT_DIR).toString().trim()
    while (dir.endsWith('/') && dir.length() > 1) {
        dir = dir.substring(0, dir.length() - 1)
    }
    return dir
}

/** "OUTCOME: reason"; the CLI's reasons usually start with the outcome already, which is not repeated. */
@NonCPS
String verdictLine(String outcome, String reason) {
    String why = reason ?: ''
    return why.startsWith(outcome ?: '') ? why : "${outcome}: ${why}".toString()
}

/** The CLI arguments after `mlops`, unquoted (mlopsCli quotes them and adds --registry and --json). */
@NonCPS
List commandArgs(Map args, String reportDir) {
    List argv = ['evaluate', '--candidate', args.candidate, '--holdout', args.holdout]
    [model: '--model', baseline: '--baseline', label: '--label', gate: '--gate'].each { name, option ->
        if (args[name]) { argv += [option, args[name]] }
    }
    list(args.slices).each { argv += ['--slice', it] }
    argv += ['--report-dir', reportDir]
    if (args.runsDir) { argv += ['--runs-dir', args.runsDir] }
    argv << '--no-fail'
    return argv.collect { it.toString() }
}

@NonCPS
List check(Map args) {
    List problems = mlopsCli.argumentProblems(args, ARGUMENTS,
            [candidate: "candidate: \"run:\${run.id}\" (or churn:4, or a model folder)", holdout: "holdout: 'data/holdout.csv'"])
    if (!args.model && !args.baseline) {
        problems << "'model' is required unless 'baseline' is given: the baseline defaults to <model>@production, e.g. model: 'churn'"
    }
    ['model', 'baseline', 'label', 'gate', 'reportDir', 'runsDir'].each { name ->
        if (args[name] != null && args[name].toString().startsWith('-')) {
            problems << "'${name}' must not start with '-': got '${args[name]}'".toString()
        }
    }
    String dir = args.reportDir?.toString()
    if (dir && (dir.startsWith('/') || dir.startsWith('\\') || dir ==~ /[A-Za-z]:.*/ || dir.split('[/\\\\]').contains('..'))) {
        problems << "'reportDir' must be a folder inside the workspace (archiveArtifacts only archives there); got '${dir}'".toString()
    }
    if (list(args.slices).any { it == null || it.toString().trim().isEmpty() || it.toString().startsWith('-') }) {
        problems << "'slices' entries must be column names, e.g. slices: ['region']"
    }
    return problems
}

@NonCPS
List list(value) {
    return value == null ? [] : (value instanceof Collection ? new ArrayList(value) : [value])
}
