// mlopsMaturity: where the repository stands on the MLOps maturity model, per build. Help: mlopsMaturity.txt.
import groovy.transform.Field

@Field final List ARGUMENTS = ['path', 'reportDir', 'registry', 'credentialsId', 'archive']
@Field final String DEFAULT_REPORT_DIR = '.mlops/reports/maturity'

/** Runs `mlops maturity PATH --report-dir DIR --json`, archives maturity.html/json and returns the summary. */
Map call(Map args = [:]) {
    List problems = mlopsCli.argumentProblems(args, ARGUMENTS, [:])
    ['path', 'reportDir'].each { name ->
        if (args[name] != null && args[name].toString().startsWith('-')) {
            problems << "'${name}' must not start with '-': got '${args[name]}'".toString()
        }
    }
    if (problems) {
        error("mlopsMaturity: ${problems.join('; ')}")
    }
    String reportDir = (args.reportDir ?: DEFAULT_REPORT_DIR).toString()
    Map summary = mlopsCli.runJson('mlopsMaturity', ['maturity', (args.path ?: '.').toString(), '--report-dir', reportDir], args)
    if (args.archive != false) {
        archiveArtifacts(artifacts: "${reportDir}/maturity.*".toString(), allowEmptyArchive: false, fingerprint: false)
    }
    echo "mlopsMaturity: Level ${summary.level ?: '?'}${dimensions(summary) ? ' (' + dimensions(summary) + ')' : ''}"
    if (summary.next) {
        echo "mlopsMaturity: next step: ${summary.next instanceof Map ? summary.next.step ?: summary.next : summary.next}"
    }
    echo "mlopsMaturity: report ${reportDir}/maturity.html${args.archive != false ? ' (archived with this build)' : ''}"
    return summary
}

/** "model creation 3, model release 2, ..." from the summary's dimensions. */
@NonCPS
String dimensions(Map summary) {
    return (summary.dimensions ?: []).findAll { it instanceof Map }.collect { "${it.name} ${it.level}" }.join(', ')
}
