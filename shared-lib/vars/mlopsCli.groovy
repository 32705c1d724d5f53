// mlopsCli: finds (or fetches) the mlops CLI on the current agent and runs it. Help: mlopsCli.txt.
import groovy.json.JsonSlurperClassic
import groovy.transform.Field

/** CLI version fetched when neither the call nor env MLOPS_CLI_VERSION names one: the only place it is set. */
@Field final String DEFAULT_VERSION = '0.1.0'

/** Library resource written to the agent and run as `java Fetch.java URL DEST [SHA256]`. */
@Field final String FETCH_RESOURCE = 'dev/mlops/Fetch.java'

/** The CLI's documented exit codes, for error messages. */
@Field final Map EXIT_CODES = [1: 'failed', 2: 'bad input', 3: 'not found', 4: 'conflict']

/** Prints the agent's MLOPS_CLI and cache folder; the controller's env.HOME is not the agent's. */
@Field final String UNIX_PROBE = 'printf "MLOPS_CLI=%s\\nMLOPS_HOME=%s\\n" "${MLOPS_CLI:-}" "${MLOPS_HOME:-$HOME/.mlops}"'
@Field final String WINDOWS_PROBE = '''if defined MLOPS_HOME (set "H=%MLOPS_HOME%") else (set "H=%USERPROFILE%\\.mlops")
echo MLOPS_CLI=%MLOPS_CLI%
echo MLOPS_HOME=%H%'''

/**
 * Returns the command prefix that runs the CLI on this agent, e.g. java -jar '/home/jenkins/.mlops/cli/0.1.0/mlops-0.1.0.jar'.
 * Order: MLOPS_CLI (pipeline env, then the agent's env), the cached jar, a download from MLOPS_CLI_URL.
 */
String call(Map opts = [:]) {
    if (env.MLOPS_CLI?.trim()) {
        return env.MLOPS_CLI.trim()
    }
    boolean unix = isUnix()
    Map agent = parseProbe(exec(unix, unix ? UNIX_PROBE : WINDOWS_PROBE, 'mlops: locate CLI', true))
    if (agent.MLOPS_CLI) {
        return agent.MLOPS_CLI
    }
    if (!agent.MLOPS_HOME) {
        error('mlopsCli: could not find a cache folder on this agent: set MLOPS_HOME (or HOME) in the agent\'s environment')
    }
    String version = (opts.version ?: env.MLOPS_CLI_VERSION ?: DEFAULT_VERSION).toString().trim()
    if (!(version ==~ /[0-9A-Za-z][0-9A-Za-z._-]*/)) {
        error("mlopsCli: MLOPS_CLI_VERSION must be a version such as ${DEFAULT_VERSION}; got '${version}'")
    }
    String dir = "${agent.MLOPS_HOME}/cli/${version}"
    String jar = "${dir}/mlops-${version}.jar"
    String command = "java -jar ${quote(jar, unix)}"
    if (fileExists(jar)) {
        return command
    }
    String url = (opts.url ?: env.MLOPS_CLI_URL ?: '').toString().trim()
    if (!url) {
        error("mlopsCli: the mlops CLI is not on this agent and there is nowhere to fetch it from. " +
              "Set MLOPS_CLI to a command that runs it (e.g. /opt/mlops/bin/mlops), or set MLOPS_CLI_URL " +
              "to the URL of mlops-<version>.jar (plus MLOPS_CLI_SHA256) so it is downloaded once to ${jar}. " +
              "See docs/shared-lib.md, 'How the CLI reaches an agent'.")
    }
    String sha = (opts.sha256 ?: env.MLOPS_CLI_SHA256 ?: '').toString().trim()
    String fetch = "${dir}/Fetch.java"
    writeFile(file: fetch, text: libraryResource(FETCH_RESOURCE), encoding: 'UTF-8')
    List argv = ['java', fetch, url.replace('<version>', version), jar]
    if (sha) {
        argv << sha
    }
    try {
        exec(unix, join(argv, unix), "mlops: fetch CLI ${version}", false)
    } catch (Exception e) {
        Integer code = exitCode(e.message)
        if (code == null) {
            throw e
        }
        error("mlopsCli: could not fetch the mlops CLI ${version} from MLOPS_CLI_URL (Fetch exit code ${code}: " +
              "${code == 3 ? 'SHA-256 differs from MLOPS_CLI_SHA256' : 'download failed'}); Fetch's message is in the log above.")
    }
    return command
}

/**
 * Runs `<cli> ARGV... [--registry R] --json`, inside withCredentials when a credentials id is given,
 * and returns the JSON object the CLI printed. Exit code 3 (not found) returns null when missingOk.
 * opts: registry (default env MLOPS_REGISTRY), credentialsId (default env MLOPS_CREDENTIALS_ID).
 */
Map runJson(String caller, List argv, Map opts = [:], boolean missingOk = false) {
    String registry = opts.registry ?: env.MLOPS_REGISTRY
    String credentialsId = opts.credentialsId ?: env.MLOPS_CREDENTIALS_ID
    List all = new ArrayList(argv)
    if (registry) {
        all.addAll(['--registry', registry])
    }
    all << '--json'
    String cli = call()
    boolean unix = isUnix()
    String line = "${cli} ${join(all, unix)}"
    String label = "mlops ${argv[0]}"
    String out = null
    try {
        if (credentialsId) {
            // The connection string reaches the CLI only as an environment variable, never on the command line.
            withCredentials([string(credentialsId: credentialsId, variable: 'AZURE_STORAGE_CONNECTION_STRING')]) {
                out = exec(unix, line, label, true)
            }
        } else {
            out = exec(unix, line, label, true)
        }
    } catch (Exception e) {
        Integer code = exitCode(e.message)
        if (code == null) {
            throw e
        }
        if (code == 3 && missingOk) {
            return null
        }
        error("${caller}: the mlops CLI exited with code ${code} (${EXIT_CODES[code] ?: 'failed'}); its message is in the log just above.")
    }
    Map result = parseJson(out)
    if (result == null) {
        error("${caller}: the mlops CLI printed no JSON object on stdout; got: ${out?.take(200)}")
    }
    return result
}

/** Quotes one value as a single word for the agent's shell: POSIX sh, or cmd.exe when unix is false. */
String quote(value, boolean unix = true) {
    String s = String.valueOf(value)
    if (unix) {
        return "'" + s.replace("'", "'\"'\"'") + "'"
    }
    if (s.contains('"') || s.contains('\n') || s.contains('\r')) {
        error("mlopsCli: cannot pass a value containing a double quote or a line break on a Windows agent: ${s.take(80)}")
    }
    String trailing = ''
    for (int i = s.length() - 1; i >= 0 && s.charAt(i) == ('\\' as char); i--) {
        trailing += '\\' // a backslash before the closing quote must be doubled
    }
    return '"' + s.replace('%', '%%') + trailing + '"'
}

/** Quotes every value and joins them with spaces. */
String join(List argv, boolean unix = true) {
    String line = ''
    for (int i = 0; i < argv.size(); i++) {
        line += (i == 0 ? '' : ' ') + quote(argv[i], unix)
    }
    return line
}

/** Runs a script with sh (unix) or bat; returns stdout when asked. */
String exec(boolean unix, String script, String label, boolean returnStdout) {
    if (unix) {
        return sh(script: script, label: label, returnStdout: returnStdout)
    }
    return bat(script: "@echo off\n${script}", label: label, returnStdout: returnStdout)
}

/**
 * Checks a step's named arguments: unknown names, and required ones (name: example) missing or blank.
 * Positional CLI values must not start with '-', or the CLI would read them as options.
 */
@NonCPS
List argumentProblems(Map args, List known, Map required) {
    List problems = []
    (args.keySet() - known).each { name ->
        problems << "unknown argument '${name}' (known: ${known.join(', ')})".toString()
    }
    required.each { String name, String example ->
        if (args[name] == null || args[name].toString().trim().isEmpty()) {
            problems << "'${name}' is required, e.g. ${example}".toString()
        } else if (args[name].toString().startsWith('-')) {
            problems << "'${name}' must not start with '-': got '${args[name]}'".toString()
        }
    }
    return problems
}

@NonCPS
Map parseProbe(String out) {
    Map values = [:]
    (out ?: '').readLines().each { String line ->
        int eq = line.indexOf('=')
        if (eq > 0) {
            values[line.substring(0, eq).trim()] = line.substring(eq + 1).trim()
        }
    }
    return values
}

/** Parses the first JSON object in the text; null when there is none. */
@NonCPS
Map parseJson(String text) {
    int start = (text ?: '').indexOf('{')
    if (start < 0) {
        return null
    }
    try {
        Object parsed = new JsonSlurperClassic().parseText(text.substring(start))
        return parsed instanceof Map ? (Map) parsed : null
    } catch (Exception e) {
        return null
    }
}

/** The exit code in a failed sh/bat step's message ("script returned exit code 4"), or null. */
@NonCPS
Integer exitCode(String message) {
    def matcher = (message ?: '') =~ /script returned exit code (\d+)/
    return matcher.find() ? Integer.valueOf(matcher.group(1)) : null
}
