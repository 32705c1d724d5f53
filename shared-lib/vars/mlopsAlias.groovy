// mlopsAlias: moves (or reads) a model alias through the mlops CLI. Help: mlopsAlias.txt.
import groovy.transform.Field

@Field final List ARGUMENTS = ['model', 'alias', 'version', 'expect', 'reason', 'registry', 'credentialsId']
@Field final List GET_ARGUMENTS = ['model', 'alias', 'registry', 'credentialsId']

/** Runs `mlops alias set MODEL ALIAS VERSION [--expect N|none] [--reason R] ... --json`; returns the change (mlops.alias-change/v1). */
Map call(Map args = [:]) {
    List problems = check(args, ARGUMENTS)
    if (problems) {
        error("mlopsAlias: ${problems.join('; ')}")
    }
    Map change = mlopsCli.runJson('mlopsAlias', commandArgs(args), args)
    echo "Moved ${args.model}@${args.alias}: ${change.from ?: '(none)'} -> ${change.to ?: args.version}"
    return change
}

/** Runs `mlops alias get MODEL ALIAS --json`; returns the pointer (mlops.alias/v1), or null when the alias is not set. */
Map get(Map args = [:]) {
    List problems = check(args, GET_ARGUMENTS)
    if (problems) {
        error("mlopsAlias.get: ${problems.join('; ')}")
    }
    return mlopsCli.runJson('mlopsAlias.get', ['alias', 'get', args.model.toString(), args.alias.toString()], args, true)
}

@NonCPS
List commandArgs(Map args) {
    List argv = ['alias', 'set', args.model, args.alias, args.version]
    if (args.expect != null) {
        argv += ['--expect', args.expect]
    }
    if (args.reason) {
        argv += ['--reason', args.reason]
    }
    return argv.collect { it.toString() }
}

@NonCPS
List check(Map args, List known) {
    Map required = [model: "model: 'churn'", alias: "alias: 'staging'"]
    if (known.contains('version')) {
        required.version = 'version: 3'
    }
    List problems = mlopsCli.argumentProblems(args, known, required)
    if (known.contains('version') && args.version != null && !(args.version.toString() ==~ /[1-9]\d*/)) {
        problems << "'version' must be a version number, e.g. version: 3; got '${args.version}'".toString()
    }
    if (known.contains('expect') && args.expect != null && !(args.expect.toString() ==~ /[1-9]\d*|none/)) {
        problems << "'expect' must be the version the alias points at now, or 'none' when it must be unset; got '${args.expect}'".toString()
    }
    return problems
}
