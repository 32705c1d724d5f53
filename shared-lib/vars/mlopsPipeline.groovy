// mlopsPipeline: the whole Level 2-4 pipeline driven by the team's mlops.yaml. Help: mlopsPipeline.txt.
// Scripted, not declarative: stages switch on and off from a file read at run time, and the library's tests
// (JenkinsPipelineUnit 1.1) run scripted pipelines only.
import groovy.json.JsonOutput
import groovy.transform.Field

@Field final List ARGUMENTS = ['config', 'agent', 'registry', 'credentialsId', 'mode', 'maturity', 'jobProperties']
@Field final List MODES = ['train', 'retrain', 'drift']
@Field final String VALIDATION_FILE = '.mlops/config-validation.json'
@Field final String GATE_FILE = '.mlops/gate.json'

/** Validates and reads mlops.yaml, then runs the stages it switches on. Returns what the build did. */
Map call(Map args = [:]) {
    List problems = mlopsCli.argumentProblems(args, ARGUMENTS, [:])
    if (args.mode != null && !MODES.contains(args.mode.toString())) {
        problems << "'mode' must be one of ${MODES.join(', ')}; got '${args.mode}'".toString()
    }
    if (problems) {
        error("mlopsPipeline: ${problems.join('; ')}")
    }
    String path = (args.config ?: 'mlops.yaml').toString()
    Map cfg = null
    onAgent(args.agent) {
        stage('Checkout') { checkout scm }
        stage('Validate config') { cfg = readConfig(path) }
    }
    Map plan = plan(cfg)
    Map registry = [registry: args.registry, credentialsId: args.credentialsId].findAll { k, v -> v }
    if (args.jobProperties != false && plan.level >= 4) {
        properties([parameters(modeParameters()), pipelineTriggers([cron(plan.drift.schedule ?: 'H/15 * * * *')])])
    }
    String mode = mode(args.mode, plan)
    echo "mlopsPipeline: ${plan.model}, Level ${plan.level}, mode ${mode}"
    Map result = mode == 'drift' ? driftCheck(args, plan, registry) : release(args, plan, registry, mode == 'retrain')
    if (args.maturity) {
        onAgent(args.agent) { stage('Maturity') { checkout scm; result.maturity = mlopsMaturity(registry) } }
    }
    return result
}

/** mlops config validate (every problem, with its path, fails the build), then readYaml. */
Map readConfig(String path) {
    String cli = mlopsCli.call()
    boolean unix = isUnix()
    String line = "${cli} ${mlopsCli.join(['config', 'validate', path, '--json'], unix)}"
    int code = unix
            ? sh(script: "mkdir -p .mlops && ${line} > ${VALIDATION_FILE}", returnStatus: true, label: 'mlops config validate')
            : bat(script: "@echo off\nif not exist .mlops mkdir .mlops\n${line} > ${VALIDATION_FILE.replace('/', '\\')}",
                  returnStatus: true, label: 'mlops config validate')
    if (code != 0) {
        Map report = fileExists(VALIDATION_FILE) ? mlopsCli.parseJson(readFile(VALIDATION_FILE)) : null
        List lines = problemLines(report)
        error("mlopsPipeline: ${path} is not valid (mlops config validate exited with code ${code}); " +
                (lines ? "${lines.size()} problem(s):\n  ${lines.join('\n  ')}" : "the CLI's problems are in the log just above"))
    }
    def cfg = readYaml(file: path)
    if (!(cfg instanceof Map)) {
        error("mlopsPipeline: ${path} does not hold a YAML mapping; see docs/mlops-yaml.md")
    }
    return cfg
}

/** Level 2-4 release path: train, evaluate, register, deploy staging, smoke, approve, canary, promote. */
Map release(Map args, Map plan, Map registry, boolean retrain) {
    Map result = [level: plan.level, mode: retrain ? 'retrain' : 'train']
    String reason = retrain ? "retraining requested: ${params.MLOPS_RETRAIN_REASON ?: 'retrain webhook'}" : "build ${env.BUILD_URL ?: env.BUILD_NUMBER ?: ''}".trim()
    onAgent(plan.trainAgent) {
        stage('Checkout') { checkout scm }
        stage('Train') { result.run = mlopsTrain(plan.train + (retrain ? [force: true] : [:])) }
        if (plan.evaluate) {
            stage('Evaluate') {
                writeFile(file: GATE_FILE, text: JsonOutput.toJson(plan.gate ?: [:]))
                result.evaluation = mlopsEvaluate(registry + plan.evaluate + [model: plan.model,
                        candidate: "run:${result.run.id}".toString(), gate: GATE_FILE])
            }
        }
        stage('Register') {
            if (result.evaluation != null && result.evaluation.outcome != 'PASS') {
                echo "mlopsPipeline: not registering run ${result.run.id}: the evaluation is ${result.evaluation.outcome}; read the report"
                return
            }
            Map register = registry + [model: plan.model, fromRun: result.run.id, reason: reason]
            result.version = mlopsRegister(register + (plan.stages.contains('staging') ? [alias: 'staging'] : [:]))
        }
    }
    if (result.version == null || !plan.deploy) {
        return result
    }
    Map release = registry + [model: plan.model, version: result.version.version]
    if (plan.stages.contains('staging')) {
        onAgent(args.agent) {
            checkout scm
            // The rollout lists the same approvers as the Approve stage, so it records who approved and who may abort.
            stage('Deploy staging') { mlopsDeploy(release + plan.target + [action: 'staging'] + (plan.approval ? [approvers: plan.approval.approvers] : [:])) }
            if (plan.smoke) {
                stage('Smoke test') { mlopsDeploy(release + [action: 'smoke', holdout: plan.evaluate?.holdout]) }
            }
        }
    }
    if (plan.approval) {
        stage('Approve') {
            result.approval = mlopsApprove(approvers: plan.approval.approvers, timeoutMinutes: plan.approval.timeoutMinutes,
                    message: "Promote ${result.version.ref} to production?".toString(),
                    evidence: [result.evaluation?.report].findAll { it })
        }
    }
    onAgent(args.agent) {
        if (plan.canary) {
            canary(release, plan, result)
        }
        if (!plan.canary && plan.stages.contains('production')) {
            stage('Promote') {
                Map decidedBy = result.approval?.approver ? [approver: result.approval.approver] : [:]
                result.promotion = mlopsDeploy(release + targetKind(plan) + decidedBy + [action: 'promote'])
            }
        }
    }
    return result
}

/** Production runs on the same kind of target as staging (its port is the CLI's production port, not staging's). */
@NonCPS
Map targetKind(Map plan) {
    return plan.target?.target ? [target: plan.target.target] : [:]
}

/** Canary with analysis; on failure the Rollback stage sends traffic back and the build fails (UNSTABLE when inconclusive). */
void canary(Map release, Map plan, Map result) {
    String failure = null
    Map decidedBy = result.approval?.approver ? [approver: result.approval.approver] : [:]
    stage('Canary') {
        try {
            result.canary = mlopsDeploy(release + targetKind(plan) + plan.canary + decidedBy + [action: 'canary'])
            String outcome = result.canary?.outcome?.toString()
            if (outcome != null && !(outcome in ['PASS', 'PROMOTED', 'SUCCEEDED'])) {
                failure = outcome
            }
        } catch (Exception e) {
            failure = "FAIL: ${e.message}".toString()
        }
    }
    if (failure == null) {
        return
    }
    stage('Rollback') {
        result.rollback = mlopsDeploy(release + decidedBy + [action: 'rollback', reason: "canary ${failure}".toString()])
    }
    if (failure == 'INCONCLUSIVE') {
        currentBuild.result = 'UNSTABLE'
        error("mlopsPipeline: the canary of ${result.version.ref} was INCONCLUSIVE; traffic is back on production and a person must decide")
    }
    currentBuild.result = 'FAILURE'
    error("mlopsPipeline: the canary of ${result.version.ref} failed (${failure}); rolled back, production is unchanged")
}

/** The scheduled drift job: compare production traffic with the reference profile, trigger retraining on drift. */
Map driftCheck(Map args, Map plan, Map registry) {
    Map result = [level: plan.level, mode: 'drift']
    onAgent(args.agent) {
        stage('Drift check') {
            result.drift = mlopsDriftCheck(registry + plan.driftCheck + [model: plan.model])
        }
    }
    return result
}

/** train, retrain or drift: the argument, then MLOPS_MODE, then a timer-started Level 4 build, then MLOPS_RETRAIN_REASON. */
String mode(explicit, Map plan) {
    String asked = (explicit ?: params.MLOPS_MODE ?: '').toString()
    if (asked) {
        if (!MODES.contains(asked)) {
            error("mlopsPipeline: MLOPS_MODE must be one of ${MODES.join(', ')}; got '${asked}'")
        }
        if (asked == 'drift' && !plan.driftCheck) {
            error("mlopsPipeline: mode drift needs the drift: and retrain: sections in mlops.yaml (Level 4); see docs/levels/level4.md")
        }
        return asked
    }
    if (plan.driftCheck && startedByTimer()) {
        return 'drift'
    }
    return params.MLOPS_RETRAIN_REASON ? 'retrain' : 'train'
}

boolean startedByTimer() {
    try {
        return !currentBuild.getBuildCauses('hudson.triggers.TimerTrigger$TimerTriggerCause').isEmpty()
    } catch (MissingMethodException e) {
        return false
    }
}

List modeParameters() {
    return [choice(name: 'MLOPS_MODE', choices: ['', 'train', 'retrain', 'drift'],
                   description: 'empty: train (timer builds: drift check); retrain: the webhook path; drift: check drift now'),
            string(name: 'MLOPS_RETRAIN_REASON', defaultValue: '', description: 'set by the retrain webhook: why retraining was asked for')]
}

void onAgent(label, Closure body) {
    if (label) {
        node(label.toString(), body)
    } else {
        node(body)
    }
}

/** What the validated file switches on, in the vars' own argument names. */
@NonCPS
Map plan(Map cfg) {
    Map train = cfg.train ?: [:]
    Map deploy = cfg.deploy ?: [:]
    Map plan = [model: cfg.model.toString(), trainAgent: train.agent, stages: (deploy.stages ?: []).collect { it.toString() }]
    Map t = [data: train.data, requireGpu: train.require_gpu == true]
    if (train.command) {
        t += [trainer: 'command', command: train.command]
    } else if (train.builtin) {
        Map b = train.builtin
        Map p = [:]
        if (b.hidden != null) { p.hidden = b.hidden instanceof Collection ? b.hidden.join(',') : b.hidden }
        if (b.epochs != null) { p.epochs = b.epochs }
        if (b.learning_rate != null) { p.learning_rate = b.learning_rate }
        t += [trainer: 'djl-mlp', params: p]
    }
    if (train.params) { t.params = (t.params ?: [:]) + train.params }
    [label: train.label, features: train.features, seed: train.seed].each { k, v -> if (v != null) { t[k] = v } }
    plan.train = t
    if (cfg.evaluate) {
        Map e = [holdout: cfg.evaluate.holdout, label: cfg.evaluate.label ?: train.label, slices: cfg.evaluate.slices]
        plan.evaluate = e.findAll { k, v -> v != null }
    }
    plan.gate = cfg.gate
    plan.deploy = !deploy.isEmpty()
    plan.target = [target: deploy.target, port: deploy.port].findAll { k, v -> v != null }
    plan.smoke = deploy.smoke == true
    if (deploy.approval) {
        plan.approval = [approvers: deploy.approval.approvers, timeoutMinutes: deploy.approval.timeout_minutes ?: 60]
    }
    if (deploy.canary) {
        Map c = deploy.canary
        plan.canary = [steps: c.steps, stepSeconds: c.step_seconds, analysis: c.analysis].findAll { k, v -> v != null }
    }
    plan.drift = cfg.drift ?: [:]
    if (cfg.drift) {
        Map d = cfg.drift
        Map r = cfg.retrain ?: [:]
        plan.driftCheck = [method: d.method, correction: d.correction, driftShare: d.drift_share, windowRows: d.window_rows,
                           webhook: r.webhook, job: r.job, secretCredentialsId: r.secret_credentials_id,
                           cooldownMinutes: r.cooldown_minutes, maxPerDay: r.max_per_day, triggerMode: r.mode]
                .findAll { k, v -> v != null }
    }
    plan.level = plan.driftCheck || plan.canary ? 4 : (plan.evaluate || plan.deploy ? 3 : 2)
    return plan
}

/** "path: message" per problem from `mlops config validate --json` (strings or {path, message} objects). */
@NonCPS
List problemLines(Map report) {
    return (report?.problems ?: []).collect { p ->
        p instanceof Map ? (p.path ? "${p.path}: ${p.message}" : "${p.message}").toString() : p.toString()
    }
}
