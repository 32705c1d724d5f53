// mlopsDriftCheck: drift of production traffic against the version's reference profile, and the retrain trigger. Help: mlopsDriftCheck.txt.
import groovy.transform.Field

@Field final List ARGUMENTS = ['model', 'version', 'current', 'method', 'correction', 'driftShare', 'windowRows', 'reportDir',
                               'trigger', 'webhook', 'job', 'secretCredentialsId', 'cooldownMinutes', 'maxPerDay', 'triggerMode',
                               'registry', 'credentialsId', 'archive', 'unstableOnDrift']
@Field final List METHODS = ['auto', 'psi', 'ks', 'wasserstein', 'jensen_shannon', 'chi_square']
@Field final List CORRECTIONS = ['benjamini_hochberg', 'bonferroni', 'none']
@Field final List TRIGGER_MODES = ['trigger', 'dry_run', 'pause']
@Field final String DEFAULT_REPORT_DIR = '.mlops/reports/drift'
/** Where the local deploy target's production server writes its inference log (serve --log-dir), in the workspace. */
@Field final String DEFAULT_CURRENT = '.mlops/deployments/production/inference'
/** The environment variable the CLI reads the webhook's HMAC secret from; never a command-line argument. */
@Field final String SECRET_VARIABLE = 'MLOPS_WEBHOOK_SECRET'

/**
 * Runs `mlops drift --model MODEL[:VERSION|@production] --current LOGS ... --no-fail [--trigger ...] --json`, archives the report and returns the summary.
 * Drift makes the build UNSTABLE (unless unstableOnDrift: false); whether retraining was triggered is in the summary.
 */
Map call(Map args = [:]) {
    List problems = check(args)
    if (problems) {
        error("mlopsDriftCheck: ${problems.join('; ')}")
    }
    String reportDir = (args.reportDir ?: DEFAULT_REPORT_DIR).toString()
    Map summary = null
    if (triggers(args) && args.secretCredentialsId) {
        withCredentials([string(credentialsId: args.secretCredentialsId.toString(), variable: SECRET_VARIABLE)]) {
            summary = mlopsCli.runJson('mlopsDriftCheck', commandArgs(args, reportDir), args)
        }
    } else {
        summary = mlopsCli.runJson('mlopsDriftCheck', commandArgs(args, reportDir), args)
    }
    if (args.archive != false) {
        archiveArtifacts(artifacts: "${reportDir}/drift.*".toString(), allowEmptyArchive: true, fingerprint: false)
    }
    boolean drifted = summary.drift == true
    Map trigger = summary.trigger instanceof Map ? summary.trigger : [:]
    String reference = summary.model ? "${summary.model}${summary.version ? ':' + summary.version : ''}" : args.model
    echo "mlopsDriftCheck: ${drifted ? 'DRIFT' : 'no drift'} in ${summary.drifted_features ?: 0} of ${summary.evaluated_features ?: '?'} features " +
            "(${reference} vs ${summary.current_rows ?: '?'} rows of current traffic)" +
            (trigger.outcome ? "; retrain ${trigger.outcome}${trigger.reason ? ': ' + trigger.reason : ''}" : '')
    echo "mlopsDriftCheck: report ${reportDir}/drift.html${args.archive != false ? ' (archived with this build)' : ''}"
    if (drifted && args.unstableOnDrift != false) {
        currentBuild.result = 'UNSTABLE'
    }
    return summary
}

boolean triggers(Map args) {
    return args.trigger != false && args.webhook
}

/** The CLI arguments after `mlops`, unquoted (mlopsCli quotes them and adds --registry and --json). */
@NonCPS
List commandArgs(Map args, String reportDir) {
    String ref = args.version ? "${args.model}:${args.version}" : "${args.model}@production"
    List argv = ['drift', '--model', ref, '--current', args.current ?: DEFAULT_CURRENT]
    [method: '--method', correction: '--correction', driftShare: '--drift-share', windowRows: '--max-rows'].each { name, option ->
        if (args[name] != null) { argv += [option, args[name]] }
    }
    argv += ['--report-dir', reportDir, '--no-fail']
    if (triggers(args)) {
        argv += ['--trigger', '--webhook', args.webhook]
        [job: '--job', cooldownMinutes: '--cooldown-minutes', maxPerDay: '--max-per-day', triggerMode: '--trigger-mode'].each { name, option ->
            if (args[name] != null) { argv += [option, args[name]] }
        }
    }
    return argv.collect { it.toString() }
}

@NonCPS
List check(Map args) {
    List problems = mlopsCli.argumentProblems(args, ARGUMENTS, [model: "model: 'churn'"])
    if (args.version != null && !(args.version.toString() ==~ /[1-9]\d*/)) {
        problems << "'version' must be a version number, e.g. version: 3 (default: the production alias); got '${args.version}'".toString()
    }
    [method: METHODS, correction: CORRECTIONS, triggerMode: TRIGGER_MODES].each { name, allowed ->
        if (args[name] != null && !allowed.contains(args[name].toString())) {
            problems << "'${name}' must be one of ${allowed.join(', ')}; got '${args[name]}'".toString()
        }
    }
    if (args.driftShare != null && !(args.driftShare.toString().isBigDecimal() && args.driftShare.toString().toBigDecimal() > 0
            && args.driftShare.toString().toBigDecimal() <= 1)) {
        problems << "'driftShare' must be a number in (0, 1], e.g. driftShare: 0.3; got '${args.driftShare}'".toString()
    }
    ['windowRows', 'cooldownMinutes', 'maxPerDay'].each { name ->
        if (args[name] != null && !(args[name].toString() ==~ /[1-9]\d*/)) {
            problems << "'${name}' must be a whole number >= 1; got '${args[name]}'".toString()
        }
    }
    if (args.webhook != null && !(args.webhook.toString() ==~ /https?:\/\/\S+/)) {
        problems << "'webhook' must be an http(s) URL, e.g. webhook: 'https://jenkins.example.com/mlops-webhook/retrain'; got '${args.webhook}'".toString()
    }
    if (args.webhook && args.trigger != false && !args.secretCredentialsId) {
        problems << "'secretCredentialsId' is required with 'webhook': the Jenkins Secret text credential holding the HMAC secret, e.g. secretCredentialsId: 'mlops-webhook-secret'"
    }
    if (args.trigger == true && !args.webhook) {
        problems << "'trigger: true' needs 'webhook', the retrain endpoint to POST to"
    }
    ['current', 'reportDir', 'job'].each { name ->
        if (args[name] != null && args[name].toString().startsWith('-')) {
            problems << "'${name}' must not start with '-': got '${args[name]}'".toString()
        }
    }
    return problems
}
