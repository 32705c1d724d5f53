// mlopsDeploy: the staged rollout through the mlops CLI (staging, smoke, approval, canary with automatic rollback). Help: mlopsDeploy.txt.
import groovy.transform.Field

@Field final List ARGUMENTS = ['action', 'model', 'version', 'target', 'port', 'approvers', 'holdout', 'label', 'rows', 'approver',
                               'groups', 'evidence', 'stepSeconds', 'traffic', 'rps', 'steps', 'analysis', 'reason', 'to',
                               'deployments', 'registry', 'credentialsId', 'adminTokenCredentialsId']
@Field final List ACTIONS = ['staging', 'smoke', 'approve', 'canary', 'promote', 'resume', 'abort', 'rollback', 'status']
/** The plan `mlops deploy --stage staging` gives every rollout (RolloutPlan.standard): steps and analysis thresholds. */
@Field final List PLAN_STEPS = [10, 50, 100]
@Field final Map PLAN_ANALYSIS = [minrequests: 50, maxerrorrate: 0.01, maxp99ms: 500, maxshift: 0.2]
/** Rollout states after which nothing moves any more (RolloutState.isFinal). */
@Field final List FINAL_STATES = ['PROMOTED', 'ROLLED_BACK', 'ABORTED', 'FAILED']
@Field final String DEFAULT_DEPLOYMENTS = '.mlops/deployments'
/** The canary's bearer token for the servers' admin listener reaches the CLI only as this environment variable. */
@Field final String ADMIN_TOKEN_VARIABLE = 'MLOPS_ADMIN_TOKEN'

/**
 * Runs one action of the model's rollout with the CLI, then reads `mlops deploy status` and returns
 * [action, model, version, state, outcome, url, rollout, previous, canaryWeight, ...]. The canary and
 * resume exit 0 promoted, 5 rolled back (the build fails, after the log says where traffic went) and
 * 6 paused (UNSTABLE: a listed approver resumes or aborts).
 */
Map call(Map args = [:]) {
    List problems = check(args)
    if (problems) {
        error("mlopsDeploy: ${problems.join('; ')}")
    }
    String action = args.action.toString()
    if (action == 'status') {
        return result(args, withSecrets(args) { status(args) }, null)
    }
    if (action == 'rollback') {
        return rollback(args)
    }
    if ((action == 'canary' || action == 'promote') && args.approver) {
        Map live = withSecrets(args) { status(args) }
        if (live?.state == 'AWAITING_APPROVAL') {
            approve(args)
        }
    }
    if (action == 'approve') {
        return approve(args)
    }
    int code = withSecrets(args) { cli(args, commandArgs(args), "mlops deploy ${action}") }
    Map rollout = withSecrets(args) { status(args) }
    Map r = result(args, rollout, code)
    echo "mlopsDeploy: ${action} of ${r.ref}: ${r.state}${r.url ? ' at ' + r.url : ''}"
    if (code == 5) {
        error("mlopsDeploy: ${action} of ${r.ref} ended ${r.state}: ${r.why ?: 'see the log above'}" +
                (r.previous != null && r.state == 'ROLLED_BACK' ? "; 100% of traffic is back on ${r.model}:${r.previous} (automatic) and ${r.model}@production stays ${r.previous}" : ''))
    }
    if (code == 6) {
        currentBuild.result = 'UNSTABLE'
        echo "mlopsDeploy: ${action} of ${r.ref} is ${r.state}${r.canaryWeight ? ' at ' + r.canaryWeight + '%' : ''}: ${r.why ?: ''}; " +
                "the build is UNSTABLE and a listed approver decides: `mlops deploy resume ${r.model} --as USER` or " +
                "`mlops deploy abort ${r.model} --as USER` (or mlopsDeploy(action: 'resume'|'abort', model: '${r.model}', approver: USER))"
    }
    return r
}

/** Records the approval in the rollout (a listed approver; groups: those Jenkins checked the approver against). */
Map approve(Map args) {
    if (!args.approver) {
        error("mlopsDeploy: 'approver' is required to approve the rollout of ${args.model}, e.g. approver: decision.approver (from mlopsApprove)")
    }
    List argv = ['deploy', 'approve', args.model, '--as', args.approver] + repeated('--group', args.groups) + repeated('--evidence', args.evidence)
    withSecrets(args) { cli(args, argv, 'mlops deploy approve') }
    Map r = result(args, withSecrets(args) { status(args) }, 0)
    echo "mlopsDeploy: rollout of ${r.ref} approved by ${args.approver}; ${r.state}"
    return r
}

/**
 * Makes sure production does not serve the candidate: a canary that already rolled back (or failed) is left alone,
 * a live rollout of it is aborted (traffic back to 100% of the previous version; needs a listed approver), a promoted
 * one moves production back with `mlops rollback`. Without `version`, `mlops rollback` moves production back.
 */
Map rollback(Map args) {
    Map rollout = withSecrets(args) { status(args) }
    boolean ofCandidate = args.version != null && rollout != null && rollout.candidate?.toString() == args.version.toString()
    if (ofCandidate && rollout.state in ['ROLLED_BACK', 'ABORTED', 'FAILED']) {
        Map r = result(args, rollout, 0) + [rolledBack: false]
        echo "mlopsDeploy: rollback: ${r.ref} is already ${r.state}; production serves ${r.previous != null ? r.model + ':' + r.previous : 'what it served before'}, nothing to move"
        return r
    }
    if (ofCandidate && !(rollout.state in FINAL_STATES)) {
        if (!args.approver) {
            error("mlopsDeploy: rollback: the rollout of ${args.model}:${args.version} is ${rollout.state}; aborting it needs a listed " +
                    "approver (${(rollout.plan?.approvers ?: []).join(', ') ?: 'the plan lists none'}): give approver:")
        }
        List argv = ['deploy', 'abort', args.model, '--as', args.approver] + repeated('--group', args.groups) + reasonArgs(args) + targetArgs(args)
        int code = withSecrets(args) { cli(args, argv, 'mlops deploy abort') }
        Map r = result(args, withSecrets(args) { status(args) }, code) + [rolledBack: true]
        echo "mlopsDeploy: rollback: aborted the rollout of ${r.ref}; ${r.state}, traffic back on ${r.model}:${r.previous}"
        return r
    }
    List argv = ['rollback', args.model] + (args.to != null ? ['--to', args.to] : []) + reasonArgs(args) + targetArgs(args) + ['--json']
    String out = withSecrets(args) { cli(args, argv, 'mlops rollback', true) }
    Map change = mlopsCli.parseJson(out) ?: [:]
    Map r = [action: 'rollback', model: args.model.toString(), rolledBack: true, from: change.from, to: change.to,
             redeployed: change.redeployed, seconds: change.seconds, state: rollout?.state, url: productionUrl(args)]
    echo "mlopsDeploy: rolled back ${args.model}@production: ${change.from} -> ${change.to}${change.redeployed ? ', redeployed and answering' : ''}"
    return r
}

/** The latest rollout of the model (schema mlops.rollout/v1, `mlops deploy status`), or null when it has none. */
Map status(Map args) {
    String out = cli(args, ['deploy', 'status', args.model], 'mlops deploy status', true, [3])
    return out == null ? null : (mlopsCli.parseJson(out)?.rollout as Map)
}

/**
 * Runs `<cli> ARGV [--registry R]`. Returns stdout when asked, else the exit code; codes 5 and 6 (rollout
 * outcomes) and `tolerated` return instead of failing (stdout: null), any other failure names its code.
 */
def cli(Map args, List argv, String label, boolean returnStdout = false, List tolerated = []) {
    List all = argv.collect { it.toString() }
    String registry = args.registry ?: env.MLOPS_REGISTRY
    if (registry) {
        all.addAll(['--registry', registry.toString()])
    }
    boolean unix = isUnix()
    String line = "${mlopsCli.call()} ${mlopsCli.join(all, unix)}"
    try {
        String out = null
        // Jenkins kills every process a step started when the step ends, unless the process carries this cookie:
        // the staging and production servers the CLI starts must outlive the step.
        withEnv(['JENKINS_NODE_COOKIE=dontKillMe', 'BUILD_ID=dontKillMe']) {
            out = mlopsCli.exec(unix, line, label, returnStdout)
        }
        return returnStdout ? out : 0
    } catch (Exception e) {
        Integer code = mlopsCli.exitCode(e.message)
        if (code == null) {
            throw e
        }
        if (tolerated.contains(code) || (!returnStdout && (code == 5 || code == 6))) {
            return returnStdout ? null : code
        }
        error("mlopsDeploy: ${label} exited with code ${code} (${mlopsCli.EXIT_CODES[code] ?: 'failed'}); its message is in the log just above.")
    }
}

/** Binds the registry credential and the admin token as environment variables only, never on the command line. */
def withSecrets(Map args, Closure body) {
    List bindings = []
    String registryCredential = args.credentialsId ?: env.MLOPS_CREDENTIALS_ID
    if (registryCredential) {
        bindings << string(credentialsId: registryCredential, variable: 'AZURE_STORAGE_CONNECTION_STRING')
    }
    String adminCredential = args.adminTokenCredentialsId ?: env.MLOPS_ADMIN_TOKEN_CREDENTIALS_ID
    if (adminCredential) {
        bindings << string(credentialsId: adminCredential, variable: ADMIN_TOKEN_VARIABLE)
    }
    if (!bindings) {
        return body()
    }
    def out = null
    withCredentials(bindings) {
        out = body()
    }
    return out
}

/** What the caller gets back: the rollout's state and where it answers. */
Map result(Map args, Map rollout, Integer code) {
    Map r = describe(args, rollout, code)
    if (!(args.action in ['staging', 'smoke'])) {
        r.url = productionUrl(args)
    }
    return r
}

@NonCPS
Map describe(Map args, Map rollout, Integer code) {
    String model = args.model.toString()
    Integer version = rollout?.candidate != null ? rollout.candidate as Integer : (args.version != null ? args.version as Integer : null)
    List history = rollout?.history ?: []
    Map last = history ? history[-1] as Map : [:]
    Map stagingEvent = history.reverse().find { it.event == 'staging-deployed' } as Map
    String url = (stagingEvent?.evidence ?: [null])[0]
    return [action: args.action.toString(), model: model, version: version, ref: "${model}:${version ?: args.version ?: '?'}".toString(),
            state: rollout?.state, outcome: outcome(rollout?.state?.toString(), code), exitCode: code, url: url,
            rollout: rollout?.id, previous: rollout?.previous, canaryWeight: canaryWeight(rollout), why: last.why,
            approvedBy: rollout?.approval?.by]
}

/** Where production answers, from the local target's deployment record (null when none runs or another target is used). */
String productionUrl(Map args) {
    String file = "${(args.deployments ?: DEFAULT_DEPLOYMENTS).toString()}/production/deployment.json"
    if (!fileExists(file)) {
        return null
    }
    return mlopsCli.parseJson(readFile(file))?.url?.toString()
}

/** PROMOTED, ROLLED_BACK, INCONCLUSIVE (paused), FAILED, ABORTED, or PASS for a stage that went through. */
@NonCPS
String outcome(String state, Integer code) {
    if (state == 'PAUSED_INCONCLUSIVE' || code == 6) {
        return 'INCONCLUSIVE'
    }
    if (state in ['PROMOTED', 'ROLLED_BACK', 'FAILED', 'ABORTED']) {
        return state
    }
    return code == 5 ? 'FAILED' : (code == null ? state : 'PASS')
}

@NonCPS
Integer canaryWeight(Map rollout) {
    if (rollout == null) {
        return null
    }
    boolean onCanary = rollout.state == 'CANARY' || (rollout.state == 'PAUSED_INCONCLUSIVE' && rollout.pausedFrom == 'CANARY')
    List steps = rollout.plan?.steps ?: []
    int step = (rollout.stepIndex ?: 0) as int
    return onCanary && step < steps.size() ? steps[step] as Integer : (rollout.state == 'PROMOTED' ? 100 : 0)
}

/** The CLI arguments after `mlops` for staging, smoke, canary, promote, resume and abort, unquoted. */
@NonCPS
List commandArgs(Map args) {
    String model = args.model.toString()
    switch (args.action) {
        case 'staging':
            return ['deploy', "${model}:${args.version}".toString(), '--stage', 'staging'] + option('--port', args.port) +
                    repeated('--approver', args.approvers) + targetArgs(args)
        case 'smoke':
            return ['deploy', 'smoke', model, '--holdout', args.holdout.toString()] + option('--label', args.label) +
                    option('--rows', args.rows) + targetArgs(args)
        case 'canary':
            return ['deploy', 'canary', model] + option('--port', args.port) + stepArgs(args) + targetArgs(args)
        case 'promote':
            return ['deploy', 'promote', model] + option('--port', args.port) + targetArgs(args)
        case 'resume':
            return ['deploy', 'resume', model, '--as', args.approver.toString()] + repeated('--group', args.groups) + reasonArgs(args) +
                    stepArgs(args) + targetArgs(args)
        default: // abort
            return ['deploy', 'abort', model, '--as', args.approver.toString()] + repeated('--group', args.groups) + reasonArgs(args) +
                    targetArgs(args)
    }
}

@NonCPS
List stepArgs(Map args) {
    return option('--step-seconds', args.stepSeconds) + option('--traffic', args.traffic) + option('--rps', args.rps) +
            option('--label', args.label)
}

@NonCPS
List targetArgs(Map args) {
    return option('--target', args.target) + option('--deployments', args.deployments)
}

@NonCPS
List reasonArgs(Map args) {
    return option('--reason', args.reason)
}

@NonCPS
List option(String name, value) {
    return value == null || value.toString().isEmpty() ? [] : [name, value.toString()]
}

@NonCPS
List repeated(String name, values) {
    List list = values == null ? [] : (values instanceof Collection ? new ArrayList(values)
            : (values instanceof CharSequence ? values.toString().split(',').collect { it.trim() }.findAll { it } : [values]))
    List argv = []
    list.each { argv += [name, it.toString()] }
    return argv
}

@NonCPS
List check(Map args) {
    Map required = [action: "action: 'staging' (one of ${ACTIONS.join(', ')})".toString(), model: "model: 'churn'"]
    List problems = mlopsCli.argumentProblems(args, ARGUMENTS, required)
    String action = args.action?.toString()
    if (action && !ACTIONS.contains(action)) {
        problems << "'action' must be one of ${ACTIONS.join(', ')}; got '${action}'".toString()
    }
    if (action == 'staging' && !(args.version?.toString() ==~ /[1-9]\d*/)) {
        problems << "'version' is required for action 'staging' as a version number, e.g. version: registered.version; got '${args.version}'".toString()
    } else if (args.version != null && !(args.version.toString() ==~ /[1-9]\d*/)) {
        problems << "'version' must be a version number, e.g. version: 4; got '${args.version}'".toString()
    }
    if (action == 'smoke' && !args.holdout) {
        problems << "'holdout' is required for action 'smoke', e.g. holdout: 'data/holdout.csv'"
    }
    if (action in ['approve', 'resume', 'abort'] && !args.approver) {
        problems << "'approver' is required for action '${action}': a listed approver's user id, e.g. approver: 'alice'".toString()
    }
    [port: /[1-9]\d*/, rows: /[1-9]\d*/, to: /[1-9]\d*/, stepSeconds: /\d+(\.\d+)?/, rps: /\d+(\.\d+)?/].each { name, pattern ->
        if (args[name] != null && !(args[name].toString() ==~ pattern)) {
            problems << "'${name}' must be a positive number; got '${args[name]}'".toString()
        }
    }
    if (args.traffic != null && args.traffic.toString().startsWith('-')) {
        problems << "'traffic' must be a CSV path, e.g. traffic: 'data/holdout.csv'; got '${args.traffic}'".toString()
    }
    if (args.steps != null && (args.steps instanceof Collection ? args.steps.collect { it as Integer } : null) != PLAN_STEPS) {
        problems << "'steps' must be ${PLAN_STEPS} (or left out): the CLI's rollout plan has these canary steps; got ${args.steps}".toString()
    }
    if (args.analysis != null) {
        Map given = args.analysis instanceof Map ? args.analysis.collectEntries { k, v -> [k.toString().replace('_', '').toLowerCase().replace('millis', 'ms'), v] } : null
        if (given == null || given.any { k, v -> !PLAN_ANALYSIS.containsKey(k) || (v as BigDecimal) != (PLAN_ANALYSIS[k] as BigDecimal) }) {
            problems << "'analysis' must be ${PLAN_ANALYSIS} (or left out): the CLI's rollout plan analyses each step with these thresholds; got ${args.analysis}".toString()
        }
    }
    return problems
}
