// mlopsRegister: registers a model version through the mlops CLI. Help: mlopsRegister.txt.
import groovy.transform.Field

@Field final List ARGUMENTS = ['model', 'path', 'paths', 'format', 'metrics', 'metricsFile', 'params', 'tags',
                               'datasets', 'alias', 'description', 'reason', 'runId', 'fromRun', 'runsDir', 'registry',
                               'credentialsId']
/** What `mlops register --from-run` takes from the run itself; giving them as well would be ignored, so it is refused. */
@Field final List FROM_THE_RUN = ['path', 'paths', 'format', 'metrics', 'metricsFile', 'params', 'datasets', 'runId']

/** Runs `mlops register ... --json` and returns the registered version (schema mlops.version/v1). */
Map call(Map args = [:]) {
    List problems = check(args)
    if (problems) {
        error("mlopsRegister: ${problems.join('; ')}")
    }
    Map fromFile = [:]
    if (args.metricsFile) {
        fromFile = mlopsCli.parseJson(readFile(args.metricsFile.toString()))
        if (fromFile == null) {
            error("mlopsRegister: 'metricsFile' ${args.metricsFile} does not hold a JSON object of metrics, e.g. {\"auc\": 0.91}")
        }
    }
    Map metrics = merge(fromFile, args.metrics ?: [:])
    problems = checkPairs('metrics', metrics)
    if (problems) {
        error("mlopsRegister: ${problems.join('; ')}")
    }
    Map version = mlopsCli.runJson('mlopsRegister', commandArgs(args, metrics), args)
    List aliases = version.aliases ?: []
    echo "Registered ${version.ref ?: version.model + ':' + version.version} (aliases: ${aliases ? aliases.join(', ') : 'none'})"
    return version
}

/** The CLI arguments after `mlops`, unquoted (mlopsCli quotes them). */
@NonCPS
List commandArgs(Map args, Map metrics) {
    List argv = ['register', '--model', args.model]
    if (args.fromRun) { argv += ['--from-run', args.fromRun] }
    if (args.runsDir) { argv += ['--runs-dir', args.runsDir] }
    paths(args).each { argv += ['--path', it] }
    if (args.format) { argv += ['--format', args.format] }
    metrics.each { k, v -> argv += ['--metric', "${k}=${v}"] }
    (args.params ?: [:]).each { k, v -> argv += ['--param', "${k}=${v}"] }
    (args.tags ?: [:]).each { k, v -> argv += ['--tag', "${k}=${v}"] }
    list(args.datasets).each { argv += ['--dataset', it] }
    [description: '--description', reason: '--reason', alias: '--alias', runId: '--run-id'].each { name, option ->
        if (args[name]) { argv += [option, args[name]] }
    }
    return argv.collect { it.toString() }
}

@NonCPS
List check(Map args) {
    List problems = mlopsCli.argumentProblems(args, ARGUMENTS, [model: "model: 'churn'"])
    if (args.fromRun != null) {
        if (!(args.fromRun.toString() ==~ /[0-9A-Za-z][0-9A-Za-z._-]*/)) {
            problems << "'fromRun' must be a training run id, e.g. fromRun: run.id (from mlopsTrain); got '${args.fromRun}'".toString()
        }
        List given = FROM_THE_RUN.findAll { args[it] != null }
        if (given) {
            problems << ("${given.collect { "'${it}'" }.join(', ')} cannot be combined with 'fromRun': the run's output folder, " +
                    "metrics, params and datasets are registered").toString()
        }
    } else if (paths(args).isEmpty()) {
        problems << "'path' (or 'paths') is required: the model file or folder to register, e.g. path: 'out/model' (or fromRun: run.id)"
    } else if (paths(args).any { it == null || it.toString().trim().isEmpty() }) {
        problems << "'path'/'paths' must not hold blank entries"
    }
    ['metrics', 'params', 'tags'].each { name ->
        if (args[name] != null && !(args[name] instanceof Map)) {
            problems << "'${name}' must be a map, e.g. ${name}: [key: 'value']; got ${args[name].getClass().simpleName}".toString()
        } else if (name != 'metrics') { // metrics are checked once merged with metricsFile
            problems.addAll(checkPairs(name, args[name] ?: [:]))
        }
    }
    if (list(args.datasets).any { it == null || it.toString().trim().isEmpty() }) {
        problems << "'datasets' must not hold blank entries"
    }
    return problems
}

/** key=value pairs: keys non-blank without '='; metric values numbers, other values plain (not maps or lists). */
@NonCPS
List checkPairs(String name, Map pairs) {
    List problems = []
    pairs.each { k, v ->
        if (k == null || k.toString().trim().isEmpty() || k.toString().contains('=')) {
            problems << "'${name}' key '${k}' must not be blank or contain '='".toString()
        } else if (name == 'metrics' && !(v instanceof Number || v?.toString()?.isNumber())) {
            problems << "'metrics' value of '${k}' must be a number, e.g. ${k}: 0.91; got ${v}".toString()
        } else if (v == null || v instanceof Map || v instanceof Collection) {
            problems << "'${name}' value of '${k}' must be a number or a string; got ${v}".toString()
        }
    }
    return problems
}

/** Metrics by name, sorted (JSON objects have no order); literal metrics win over the file's. */
@NonCPS
Map merge(Map fromFile, Map literal) {
    Map metrics = new TreeMap()
    [fromFile, literal].each { source -> source.each { k, v -> metrics[String.valueOf(k)] = v } }
    return metrics
}

@NonCPS
List paths(Map args) {
    return list(args.path) + list(args.paths)
}

@NonCPS
List list(value) {
    return value == null ? [] : (value instanceof Collection ? new ArrayList(value) : [value])
}
