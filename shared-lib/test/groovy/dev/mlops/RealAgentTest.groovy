package dev.mlops

import static dev.mlops.MlopsRegisterTest.failure
import static org.junit.Assert.assertEquals
import static org.junit.Assert.assertFalse
import static org.junit.Assert.assertNull
import static org.junit.Assert.assertTrue

import com.sun.net.httpserver.HttpServer
import java.security.MessageDigest
import org.junit.After
import org.junit.Assume
import org.junit.Before
import org.junit.Rule
import org.junit.Test
import org.junit.rules.TemporaryFolder

/**
 * The whole agent story for real: sh runs /bin/sh, files are files, the CLI jar is fetched by
 * Fetch.java from an HTTP server into $HOME/.mlops, and mlopsRegister/mlopsAlias run the real CLI.
 * Needs the CLI fat jar (system property mlops.cliJar, set by the pom to cli/target/mlops-VERSION.jar);
 * skipped when it has not been built, e.g. `mvn test` before any `package`.
 */
class RealAgentTest extends PipelineTestSupport {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder()

    File workspace
    File home
    HttpServer server
    int downloads = 0

    @Before
    void startAgent() {
        String jarPath = System.getProperty('mlops.cliJar')
        Assume.assumeTrue("no CLI jar at ${jarPath}; build it with mvn -pl cli -am package".toString(),
                jarPath != null && new File(jarPath).isFile() && new File('/bin/sh').canExecute())
        byte[] jar = new File(jarPath).bytes

        server = HttpServer.create(new InetSocketAddress(InetAddress.loopbackAddress, 0), 0)
        server.createContext('/repository/mlops/') { exchange ->
            downloads++
            exchange.sendResponseHeaders(200, jar.length)
            exchange.responseBody.withStream { it.write(jar) }
        }
        server.start()

        workspace = tmp.newFolder('workspace')
        home = tmp.newFolder('home')
        new File(workspace, 'out/model').mkdirs()
        new File(workspace, 'out/model/model.pkl').text = 'weights'
        new File(workspace, 'data').mkdirs()
        new File(workspace, 'data/train.csv').text = 'tenure,churned\n3,1\n40,0\n'
        new File(workspace, 'out/metrics.json').text = '{"auc": 0.91, "f1": 0.84}'

        env.MLOPS_CLI_URL = "http://127.0.0.1:${server.address.port}/repository/mlops/<version>/mlops-<version>.jar".toString()
        env.MLOPS_CLI_SHA256 = MessageDigest.getInstance('SHA-256').digest(jar).encodeHex().toString()
        env.MLOPS_REGISTRY = new File(tmp.root, 'registry').path

        helper.registerAllowedMethod('fileExists', [String], { String path -> file(path).exists() })
        helper.registerAllowedMethod('writeFile', [Map], { Map step ->
            File target = file(step.file.toString())
            target.parentFile.mkdirs()
            target.setText(step.text.toString(), 'UTF-8')
        })
        helper.registerAllowedMethod('readFile', [String], { String path -> file(path).getText('UTF-8') })
        binding.setVariable('mlopsCli', loadScript('mlopsCli.groovy'))
    }

    @After
    void stopServer() {
        server?.stop(0)
    }

    /** Runs the script with /bin/sh in the workspace, with the pipeline env, like Jenkins' sh step. */
    @Override
    Object runShell(String kind, Map step) {
        String script = step.script.toString()
        shells << [kind: kind, script: script, label: step.label?.toString(), returnStdout: step.returnStdout,
                   insideCredentials: insideCredentials]
        ProcessBuilder builder = new ProcessBuilder('/bin/sh', '-c', script).directory(workspace)
        builder.environment().keySet().removeAll { it.startsWith('MLOPS_') || it.startsWith('AZURE_') }
        builder.environment().putAll(env)
        builder.environment().HOME = home.path
        // the "build log"; a subprocess must not inherit the forked JVM's stdout, which is surefire's channel
        File log = tmp.newFile()
        builder.redirectError(log)
        if (!step.returnStdout) {
            builder.redirectOutput(ProcessBuilder.Redirect.appendTo(log))
        }
        Process process = builder.start()
        String stdout = step.returnStdout ? process.inputStream.getText('UTF-8') : null
        int code = process.waitFor()
        print(log.getText('UTF-8'))
        if (code != 0) {
            throw stepFailure(code)
        }
        return stdout
    }

    File file(String path) {
        File f = new File(path)
        return f.absolute ? f : new File(workspace, path)
    }

    @Test
    void fetchesTheCliOnceThenRegistersAndMovesAliasesWithTheRealCli() {
        Script register = loadScript('mlopsRegister.groovy')
        Script alias = loadScript('mlopsAlias.groovy')
        String hostile = "a'b; rm -rf / \$(id)"

        Map version = register.call(model: 'churn', path: 'out/model', metricsFile: 'out/metrics.json',
                tags: [owner: hostile], datasets: ['data/train.csv'], alias: 'staging', description: "it's fine")

        assertEquals('mlops.version/v1', version.schema)
        assertEquals('churn:1', version.ref)
        assertEquals(['staging'], version.aliases)
        assertEquals(hostile, version.tags.owner)
        assertEquals(0.91, version.metrics.auc as double, 0.0)
        assertEquals('data/train.csv', version.lineage.datasets[0].path)
        assertTrue(new File(home, '.mlops/cli/0.1.0/mlops-0.1.0.jar').isFile())
        assertTrue(echoes.contains('Registered churn:1 (aliases: staging)'))

        register.call(model: 'churn', path: 'out/model', metrics: [auc: 0.93])
        assertEquals(1, alias.get(model: 'churn', alias: 'staging').version)
        assertNull(alias.get(model: 'churn', alias: 'production'))

        Map change = alias.call(model: 'churn', alias: 'staging', version: 2, expect: 1, reason: 'smoke test passed')
        assertEquals(2, change.to)
        assertTrue(echoes.contains('Moved churn@staging: 1 -> 2'))

        StepError conflict = failure { alias.call(model: 'churn', alias: 'staging', version: 1, expect: 1) }
        assertTrue(conflict.message, conflict.message.contains('exited with code 4 (conflict)'))

        assertEquals('the jar was fetched once and then taken from the cache', 1, downloads)
    }

    /** Rows of a churn-like table whose label follows a mostly linear rule; the same generator as the plugin tests. */
    static String churnRows(int count, long seed) {
        Random random = new Random(seed)
        StringBuilder csv = new StringBuilder('age,income,visits,region,churned\n')
        count.times { int r ->
            double a = random.nextGaussian()
            double b = random.nextGaussian()
            double c = random.nextGaussian()
            boolean churned = 1.5 * a - b + 0.5 * c + 0.2 * random.nextGaussian() > 0
            csv.append(String.format(Locale.ROOT, '%.3f,%.1f,%.3f,%s,%s%n', 40 + 10 * a, 50000 + 9000 * b, 3 + c,
                    r % 2 == 0 ? 'north' : 'south', churned ? 'yes' : 'no'))
        }
        return csv.toString()
    }

    @Test
    void trainsEvaluatesAndRegistersFromTheRunWithTheRealCli() {
        new File(workspace, 'data/churn.csv').text = churnRows(400, 1)
        new File(workspace, 'data/holdout.csv').text = churnRows(300, 2)
        Script train = loadScript('mlopsTrain.groovy')
        Script evaluate = loadScript('mlopsEvaluate.groovy')
        Script register = loadScript('mlopsRegister.groovy')
        List<Map> archived = []
        helper.registerAllowedMethod('archiveArtifacts', [Map], { Map args -> archived << args })
        Map args = [data: ['data/churn.csv'], label: 'churned', features: ['age', 'income', 'visits'],
                    params: [epochs: 3, hidden: '8']]

        Map run = train.call(args)
        assertEquals('SUCCEEDED', run.status)
        assertEquals(false, run.reused)
        assertEquals(3, run.epochs.size())
        assertTrue(new File(run.outputDir as String, 'mlp.json').isFile())
        assertEquals('the same code, data and params reuse the run', run.id, train.call(args).id)

        Map first = evaluate.call(model: 'churn', candidate: "run:${run.id}".toString(), holdout: 'data/holdout.csv')
        assertEquals('PASS', first.outcome)
        assertEquals(true, first.firstModel)
        assertTrue(new File(workspace, '.mlops/reports/evaluation/evaluation.html').isFile())
        assertEquals('.mlops/reports/evaluation/evaluation.*', archived[0].artifacts)

        Map version = register.call(model: 'churn', fromRun: run.id, alias: 'production', reason: first.reason)
        assertEquals('churn:1', version.ref)
        assertEquals(run.id, version.lineage.runId)
        assertEquals('data/churn.csv', version.lineage.datasets[0].path)

        // the same model against itself in production: no evidence of improvement, a person must decide
        Map again = evaluate.call(model: 'churn', candidate: "run:${run.id}".toString(), holdout: 'data/holdout.csv')
        assertEquals('INCONCLUSIVE', again.outcome)
        assertEquals('churn:1 (@production)', again.baseline)
        assertEquals('UNSTABLE', binding.getVariable('currentBuild').result)
    }

    @Test
    void requireGpuOnAnAgentWithoutOneFailsNamingTheAgent() {
        Assume.assumeFalse('this machine has nvidia-smi', ['/usr/bin/nvidia-smi', '/bin/nvidia-smi'].any { new File(it).exists() })
        new File(workspace, 'data/churn.csv').text = churnRows(50, 1)
        env.NODE_NAME = 'cpu-agent-3'

        StepError e = failure { loadScript('mlopsTrain.groovy').call(data: ['data/churn.csv'], requireGpu: true) }

        assertTrue(e.message, e.message.startsWith("mlopsTrain: the mlops CLI exited with code 2 (bad input) on agent 'cpu-agent-3'."))
        assertFalse('nothing was recorded', new File(workspace, '.mlops/runs').exists())
    }
}
