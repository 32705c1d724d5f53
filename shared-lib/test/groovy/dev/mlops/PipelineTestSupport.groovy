package dev.mlops

import com.lesfurets.jenkins.unit.BasePipelineTest
import org.junit.Before

/**
 * JenkinsPipelineUnit 1.1 base for the library's tests: loads vars/ as scripts and mocks every step
 * they use, recording what a real agent would have been asked to do.
 *
 * JPU 1.1 mocks neither sh nor bat, and its default `error` mock only marks the build FAILURE and
 * carries on; here `error` throws, as it does in Jenkins.
 */
abstract class PipelineTestSupport extends BasePipelineTest {

    /** Thrown by the `error` step mock. */
    static class StepError extends RuntimeException {
        StepError(String message) { super(message) }
    }

    static final String HOME_CACHE = '/home/jenkins/.mlops'
    static final String JAR = '/home/jenkins/.mlops/cli/0.1.0/mlops-0.1.0.jar'
    static final String SECRET = 'DefaultEndpointsProtocol=https;AccountName=models;AccountKey=not-a-real-key=='

    /** Pipeline environment (`env`); withCredentials adds its variables while its body runs. */
    Map<String, String> env = [:]
    /** The agent's own environment as the locate-CLI probe reports it. */
    Map<String, String> agentEnv = [MLOPS_HOME: HOME_CACHE]
    boolean unix = true
    /** Files fileExists reports as present. */
    Set<String> files = [] as Set
    /** readFile contents by path. */
    Map<String, String> fileContents = [:]
    /** Answers sh/bat: gets the script, returns its stdout or throws like a failed step. */
    Closure<String> agent = { String script -> '' }

    /** Every sh/bat call, with the credentials in force while it ran. */
    List<Map> shells = []
    List<String> echoes = []
    Map<String, String> written = [:]
    List<Map> credentialBindings = []
    boolean insideCredentials = false

    /** Where loadScript looks for scripts; the module folder is the working directory. */
    String[] roots() {
        return ['vars'] as String[]
    }

    @Override
    @Before
    void setUp() throws Exception {
        scriptRoots = roots()
        super.setUp()
        binding.setVariable('env', env)
        binding.setVariable('scm', [$class: 'GitSCM'])
        helper.registerAllowedMethod('isUnix', [], { unix })
        helper.registerAllowedMethod('sh', [Map], { Map step -> runShell('sh', step) })
        helper.registerAllowedMethod('bat', [Map], { Map step -> runShell('bat', step) })
        helper.registerAllowedMethod('fileExists', [String], { String path -> files.contains(path) })
        helper.registerAllowedMethod('readFile', [String], { String path ->
            if (!fileContents.containsKey(path)) {
                throw new FileNotFoundException(path)
            }
            fileContents[path]
        })
        helper.registerAllowedMethod('writeFile', [Map], { Map step -> written[step.file.toString()] = step.text.toString() })
        helper.registerAllowedMethod('libraryResource', [String], { String path -> new File("resources/${path}").getText('UTF-8') })
        helper.registerAllowedMethod('echo', [String], { String message -> echoes << message })
        helper.registerAllowedMethod('error', [String], { String message -> throw new StepError(message) })
        helper.registerAllowedMethod('string', [Map], { Map binding -> binding })
        helper.registerAllowedMethod('withCredentials', [List, Closure], { List bindings, Closure body ->
            credentialBindings.addAll(bindings)
            bindings.each { env[it.variable] = SECRET }
            insideCredentials = true
            try {
                return body()
            } finally {
                insideCredentials = false
                bindings.each { env.remove(it.variable) }
            }
        })
    }

    Object runShell(String kind, Map step) {
        String script = step.script.toString()
        shells << [kind: kind, script: script, label: step.label?.toString(), returnStdout: step.returnStdout,
                   insideCredentials: insideCredentials]
        String stdout = script.contains('MLOPS_HOME=') ? probe() : agent(script)
        return step.returnStdout ? stdout : null
    }

    String probe() {
        String sep = unix ? '\n' : '\r\n'
        return "MLOPS_CLI=${agentEnv.MLOPS_CLI ?: ''}${sep}MLOPS_HOME=${agentEnv.MLOPS_HOME ?: ''}${sep}"
    }

    /** The sh/bat calls other than the locate-CLI probe. */
    List<Map> commands() {
        shells.findAll { !it.script.contains('MLOPS_HOME=') }
    }

    static Exception stepFailure(int exitCode) {
        // what Jenkins' sh/bat throw (hudson.AbortException) when the script exits non-zero
        new IOException("script returned exit code ${exitCode}")
    }

    /** Runs a script with the real /bin/sh and returns the NUL-separated words it printed. */
    static List<String> shellWords(String script) {
        Process process = new ProcessBuilder('/bin/sh', '-c', script).start()
        String out = process.inputStream.getText('UTF-8')
        assert process.waitFor() == 0: process.errorStream.getText('UTF-8')
        return out.split('\u0000') as List
    }

    static String versionJson(int version, List aliases) {
        """{"schema":"mlops.version/v1","model":"churn","version":${version},"ref":"churn:${version}",
"format":"sklearn","aliases":[${aliases.collect { "\"${it}\"" }.join(',')}],"archived":false,
"createdAt":"2026-01-05T10:00:00Z","createdBy":"jenkins",
"files":[{"path":"model.pkl","sha256":"${'a' * 64}","sizeBytes":1024}],
"metrics":{"auc":0.91},"params":{},"tags":{},
"lineage":{"git":{"commit":"${'b' * 40}","branch":"main","dirty":false,"remoteUrl":"https://git.example.com/churn.git"},
"datasets":[{"path":"data/train.csv","sha256":"${'c' * 64}","sizeBytes":2048,"rows":100}],
"build":{"system":"jenkins","url":"https://ci.example.com/job/churn/7/","job":"churn","number":"7"},
"runId":"r1","user":"jenkins","capturedAt":"2026-01-05T10:00:00Z"},"registry":"azblob://models/registry"}"""
    }
}
