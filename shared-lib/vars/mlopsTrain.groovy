// mlopsTrain: trains a model through the mlops CLI, optionally on a labelled (GPU) agent. Help: mlopsTrain.txt.
import groovy.transform.Field

@Field final List ARGUMENTS = ['agent', 'checkout', 'requireGpu', 'gpus', 'lock', 'lockLabel', 'trainer', 'command',
                               'data', 'label', 'features', 'params', 'seed', 'codePaths', 'force', 'runsDir']
@Field final List TRAINERS = ['djl-mlp', 'command']
@Field final String DEFAULT_LOCK_LABEL = 'gpu'

/**
 * Runs `mlops train ... --json` (with --require-gpu when asked) through the durable sh step and returns the run
 * (schema mlops.run/v1 plus `reused`). With `agent` the work runs in node(agent), after `checkout scm`; with
 * `lock` it first takes that many lockable resources labelled lockLabel (default 'gpu').
 */
Map call(Map args = [:]) {
    List problems = check(args)
    if (problems) {
        error("mlopsTrain: ${problems.join('; ')}")
    }
    Map run = null
    Closure work = { run = train(args) }
    Closure onAgent = work
    if (args.agent) {
        onAgent = {
            node(args.agent.toString()) {
                if (args.checkout != false) {
                    checkout scm
                }
                work()
            }
        }
    }
    int slots = lockQuantity(args.lock)
    if (slots > 0) {
        // taken before node(): a build waiting for a GPU slot does not hold an executor meanwhile
        lock(label: (args.lockLabel ?: DEFAULT_LOCK_LABEL).toString(), quantity: slots) {
            onAgent()
        }
    } else {
        onAgent()
    }
    return run
}

/** One `mlops train` on the current agent. */
Map train(Map args) {
    String cli = mlopsCli.call()
    boolean unix = isUnix()
    String out = null
    try {
        out = mlopsCli.exec(unix, "${cli} ${mlopsCli.join(commandArgs(args), unix)}", 'mlops train', true)
    } catch (Exception e) {
        Integer code = mlopsCli.exitCode(e.message)
        if (code == null) {
            throw e
        }
        error(failure(code, args.requireGpu as boolean, env.NODE_NAME))
    }
    Map run = mlopsCli.parseJson(out)
    if (run == null) {
        error("mlopsTrain: the mlops CLI printed no JSON object on stdout; got: ${out?.take(200)}")
    }
    echo "mlopsTrain: run ${run.id} ${run.status}${run.reused ? ' (reused, not retrained)' : ''} on ${env.NODE_NAME ?: 'this agent'}" +
            "${run.metrics ? '; metrics ' + describe(run.metrics) : ''}"
    return run
}

/** The CLI arguments after `mlops`, unquoted (mlopsCli quotes them). */
@NonCPS
List commandArgs(Map args) {
    List argv = ['train']
    if (args.trainer) { argv += ['--trainer', args.trainer] }
    if (args.command) { argv += ['--command', args.command] }
    list(args.data).each { argv += ['--data', it] }
    if (args.label) { argv += ['--label', args.label] }
    if (args.features) {
        argv += ['--features', args.features instanceof Collection ? args.features.join(',') : args.features]
    }
    (args.params ?: [:]).each { k, v -> argv += ['--param', "${k}=${v}"] }
    if (args.seed != null) { argv += ['--seed', args.seed] }
    list(args.codePaths).each { argv += ['--code-path', it] }
    if (args.force) { argv << '--force' }
    if (args.requireGpu) { argv << '--require-gpu' }
    if (args.gpus != null && args.gpus.toString()) { argv += ['--gpus', args.gpus] }
    if (args.runsDir) { argv += ['--runs-dir', args.runsDir] }
    argv << '--json'
    return argv.collect { it.toString() }
}

/** The error for a failed `mlops train`; exit 2 with requireGpu names the agent and how to reach a GPU one. */
@NonCPS
String failure(int code, boolean requireGpu, String node) {
    String where = node ? "agent '${node}'" : 'this agent'
    if (code == 2 && requireGpu) {
        return "mlopsTrain: the mlops CLI exited with code 2 (bad input) on ${where}. With requireGpu: true this is " +
                "usually no visible GPU there: label your GPU agents (e.g. 'gpu') and train with mlopsTrain(agent: 'gpu', ...) " +
                "or inside node('gpu') { ... }. The CLI's message is in the log just above."
    }
    if (code == 1) {
        return "mlopsTrain: the training run on ${where} did not succeed (mlops exit code 1: FAILED or CANCELLED); " +
                "its output and the run id are in the log just above."
    }
    return "mlopsTrain: the mlops CLI exited with code ${code} (${[2: 'bad input', 3: 'not found', 4: 'conflict'][code] ?: 'failed'}) " +
            "on ${where}; its message is in the log just above."
}

@NonCPS
List check(Map args) {
    List problems = mlopsCli.argumentProblems(args, ARGUMENTS, [:])
    List data = list(args.data)
    if (data.isEmpty()) {
        problems << "'data' is required: the training data file(s), e.g. data: ['data/train.csv']"
    } else if (data.any { it == null || it.toString().trim().isEmpty() || it.toString().startsWith('-') }) {
        problems << "'data' entries must not be blank or start with '-'"
    }
    if (args.trainer && !TRAINERS.contains(args.trainer.toString())) {
        problems << "'trainer' must be one of ${TRAINERS.join(', ')}; got '${args.trainer}'".toString()
    }
    if (args.trainer?.toString() == 'command' && !args.command?.toString()?.trim()) {
        problems << "'command' is required with trainer: 'command', e.g. command: 'python3 train.py'"
    }
    if (args.command && args.trainer?.toString() != 'command') {
        problems << "'command' needs trainer: 'command' (the default trainer is the built-in djl-mlp)"
    }
    if (args.params != null && !(args.params instanceof Map)) {
        problems << "'params' must be a map, e.g. params: [epochs: 20]; got ${args.params.getClass().simpleName}".toString()
    } else {
        (args.params ?: [:]).each { k, v ->
            if (k == null || k.toString().trim().isEmpty() || k.toString().contains('=')) {
                problems << "'params' key '${k}' must not be blank or contain '='".toString()
            } else if (v == null || v instanceof Map || v instanceof Collection) {
                problems << "'params' value of '${k}' must be a number or a string, e.g. ${k}: 20; got ${v}".toString()
            }
        }
    }
    if (args.seed != null && !(args.seed.toString() ==~ /-?\d+/)) {
        problems << "'seed' must be a whole number, e.g. seed: 42; got '${args.seed}'".toString()
    }
    if (args.agent != null && !args.agent.toString().trim()) {
        problems << "'agent' must be an agent label (expression), e.g. agent: 'gpu'"
    }
    if (args.lock != null && lockQuantity(args.lock) < 0) {
        problems << "'lock' must be true or a number of GPU slots, e.g. lock: 2; got '${args.lock}'".toString()
    }
    ['label', 'features', 'runsDir', 'gpus'].each { name ->
        if (args[name] != null && args[name].toString().startsWith('-')) {
            problems << "'${name}' must not start with '-': got '${args[name]}'".toString()
        }
    }
    return problems
}

/** lock: true -> 1 slot, a positive number -> that many, false/null -> 0, anything else -> -1 (invalid). */
@NonCPS
int lockQuantity(lock) {
    if (lock == null || lock == false) {
        return 0
    }
    if (lock == true) {
        return 1
    }
    String text = lock.toString()
    return text ==~ /[1-9]\d{0,2}/ ? Integer.parseInt(text) : -1
}

/** "auc=0.9100, f1=0.8400" for the log, by name. */
@NonCPS
String describe(Map metrics) {
    return new TreeMap(metrics).collect { k, v -> v instanceof Number ? "${k}=${String.format(Locale.ROOT, '%.4f', v as double)}" : "${k}=${v}" }.join(', ')
}

@NonCPS
List list(value) {
    return value == null ? [] : (value instanceof Collection ? new ArrayList(value) : [value])
}
