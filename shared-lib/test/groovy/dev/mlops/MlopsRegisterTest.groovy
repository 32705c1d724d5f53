package dev.mlops

import static org.junit.Assert.assertEquals
import static org.junit.Assert.assertFalse
import static org.junit.Assert.assertTrue
import static org.junit.Assert.fail

import org.junit.Before
import org.junit.Test

class MlopsRegisterTest extends PipelineTestSupport {

    Script register

    @Before
    void loadVars() {
        binding.setVariable('mlopsCli', loadScript('mlopsCli.groovy'))
        register = loadScript('mlopsRegister.groovy')
        env.MLOPS_CLI = 'mlops'
        agent = { String script -> versionJson(3, ['staging']) }
    }

    @Test
    void buildsTheCliCommandLineAndReturnsTheParsedVersion() {
        Map version = register.call(model: 'churn', path: 'out/model', format: 'sklearn',
                metrics: [auc: 0.91, f1: 0.84], params: [epochs: 20], tags: [team: 'growth'],
                datasets: ['data/train.csv', 'data/valid.csv'], description: 'weekly retrain',
                reason: 'scheduled', alias: 'staging', runId: 'run-42', registry: 'azblob://models/registry')

        assertEquals(1, shells.size())
        Map call = shells[0]
        assertEquals("mlops 'register' '--model' 'churn' '--path' 'out/model' '--format' 'sklearn' " +
                "'--metric' 'auc=0.91' '--metric' 'f1=0.84' '--param' 'epochs=20' '--tag' 'team=growth' " +
                "'--dataset' 'data/train.csv' '--dataset' 'data/valid.csv' '--description' 'weekly retrain' " +
                "'--reason' 'scheduled' '--alias' 'staging' '--run-id' 'run-42' '--registry' 'azblob://models/registry' '--json'", call.script)
        assertTrue(call.returnStdout as boolean)
        assertEquals('mlops register', call.label)

        assertEquals('mlops.version/v1', version.schema)
        assertEquals(3, version.version)
        assertEquals('churn:3', version.ref)
        assertEquals(['staging'], version.aliases)
        assertEquals('main', version.lineage.git.branch)
        assertEquals(['Registered churn:3 (aliases: staging)'], echoes)
    }

    @Test
    void severalPathsBecomeSeveralPathOptions() {
        register.call(model: 'churn', paths: ['out/model.onnx', 'out/vocab.json'])

        assertEquals("mlops 'register' '--model' 'churn' '--path' 'out/model.onnx' '--path' 'out/vocab.json' '--json'",
                shells[0].script)
    }

    @Test
    void missingModelFailsNamingModel() {
        StepError e = failure { register.call(path: 'out/model') }

        assertTrue(e.message, e.message.startsWith("mlopsRegister: 'model' is required, e.g. model: 'churn'"))
        assertTrue('nothing ran', shells.isEmpty())
    }

    @Test
    void missingPathFailsNamingPath() {
        StepError e = failure { register.call(model: 'churn') }

        assertTrue(e.message, e.message.contains("'path' (or 'paths') is required"))
    }

    @Test
    void reportsEveryProblemAtOnce() {
        StepError e = failure { register.call(metric: [auc: 1], tags: 'team=growth', datasets: ['']) }

        assertTrue(e.message, e.message.contains("unknown argument 'metric'"))
        assertTrue(e.message, e.message.contains("'model' is required"))
        assertTrue(e.message, e.message.contains("'path' (or 'paths') is required"))
        assertTrue(e.message, e.message.contains("'tags' must be a map"))
        assertTrue(e.message, e.message.contains("'datasets' must not hold blank entries"))
    }

    @Test
    void rejectsKeysThatWouldBreakKeyEqualsValue() {
        StepError e = failure { register.call(model: 'churn', path: 'm', params: ['a=b': 1]) }

        assertTrue(e.message, e.message.contains("'params' key 'a=b' must not be blank or contain '='"))
    }

    @Test
    void hostileValuesAreQuotedSafely() {
        register.call(model: 'churn', path: 'out/my model', tags: [owner: "a'b; rm -rf /"],
                description: "it's \$(reboot) `reboot`")

        String script = shells[0].script
        assertTrue(script, script.contains("'--tag' 'owner=a'\"'\"'b; rm -rf /'"))
        assertTrue(script, script.contains("'--path' 'out/my model'"))
        assertTrue(script, script.contains("'--description' 'it'\"'\"'s \$(reboot) `reboot`'"))
    }

    @Test
    void theCommandLineParsesBackToExactlyTheArgumentsThroughARealShell() {
        env.MLOPS_CLI = "printf '%s\\000'" // prints each argument the CLI would receive, NUL-separated
        agent = { String script -> versionJson(3, []) }
        String hostile = "a'b; rm -rf / \$(id) `id` \"q\" \\ \n end"

        register.call(model: 'churn', path: 'out/model', tags: [owner: hostile], description: hostile)

        assertEquals(['register', '--model', 'churn', '--path', 'out/model', '--tag', "owner=${hostile}".toString(),
                      '--description', hostile, '--json'], shellWords(shells[0].script))
    }

    @Test
    void credentialsIdWrapsTheCliInWithCredentialsAndKeepsTheSecretOffTheCommandLine() {
        register.call(model: 'churn', path: 'out/model', registry: 'azblob://models/registry', credentialsId: 'azure-models')

        assertEquals([[credentialsId: 'azure-models', variable: 'AZURE_STORAGE_CONNECTION_STRING']], credentialBindings)
        Map call = shells[0]
        assertTrue('the CLI runs inside withCredentials', call.insideCredentials as boolean)
        assertFalse(call.script.contains(SECRET))
        assertFalse(call.script.contains('AccountKey'))
        assertFalse(call.script.contains('azure-models'))
        assertFalse('no secret in the log', echoes.any { it.contains('AccountKey') })
    }

    @Test
    void registryAndCredentialsDefaultFromTheEnvironment() {
        env.MLOPS_REGISTRY = 'azblob://models/registry'
        env.MLOPS_CREDENTIALS_ID = 'azure-models'

        register.call(model: 'churn', path: 'out/model')

        assertTrue(shells[0].script.endsWith("'--registry' 'azblob://models/registry' '--json'"))
        assertEquals('azure-models', credentialBindings[0].credentialsId)
    }

    @Test
    void withoutCredentialsIdNoCredentialsAreBound() {
        register.call(model: 'churn', path: 'out/model')

        assertTrue(credentialBindings.isEmpty())
        assertFalse(shells[0].insideCredentials as boolean)
    }

    @Test
    void metricsFileIsMergedWithLiteralMetrics() {
        fileContents['out/metrics.json'] = '{"auc": 0.91, "f1": 0.8}'

        register.call(model: 'churn', path: 'out/model', metricsFile: 'out/metrics.json', metrics: [f1: 0.84, rows: 100])

        assertTrue(shells[0].script, shells[0].script.contains(
                "'--metric' 'auc=0.91' '--metric' 'f1=0.84' '--metric' 'rows=100'"))
    }

    @Test
    void metricsFileMustHoldAFlatJsonObject() {
        fileContents['out/metrics.json'] = '{"auc": {"train": 0.9}}'

        StepError e = failure { register.call(model: 'churn', path: 'out/model', metricsFile: 'out/metrics.json') }

        assertTrue(e.message, e.message.contains("'metrics' value of 'auc' must be a number, e.g. auc: 0.91"))
    }

    @Test
    void metricsMustBeNumbers() {
        StepError e = failure { register.call(model: 'churn', path: 'out/model', metrics: [auc: 'high', f1: '0.84']) }

        assertEquals("mlopsRegister: 'metrics' value of 'auc' must be a number, e.g. auc: 0.91; got high", e.message)
    }

    @Test
    void cliFailureNamesTheExitCodeAndItsMeaning() {
        agent = { String script -> throw stepFailure(2) }

        StepError e = failure { register.call(model: 'churn', path: 'missing/model') }

        assertEquals('mlopsRegister: the mlops CLI exited with code 2 (bad input); its message is in the log just above.', e.message)
    }

    @Test
    void fetchesTheCliFirstWhenTheAgentHasNone() {
        env.remove('MLOPS_CLI')
        env.MLOPS_CLI_URL = 'https://nexus.example.com/mlops-<version>.jar'

        register.call(model: 'churn', path: 'out/model')

        List<Map> commands = commands()
        assertEquals(2, commands.size())
        assertTrue(commands[0].script.contains('Fetch.java'))
        assertTrue(commands[1].script.startsWith("java -jar '${JAR}' 'register'"))
    }

    @Test
    void fromRunRegistersTheTrainingRunsOutputWithoutAPath() {
        Map version = register.call(model: 'churn', fromRun: '20260105-142233-a1b2c3', runsDir: '/var/mlops/runs',
                alias: 'staging', reason: 'evaluation passed', tags: [team: 'growth'])

        assertEquals("mlops 'register' '--model' 'churn' '--from-run' '20260105-142233-a1b2c3' '--runs-dir' '/var/mlops/runs' " +
                "'--tag' 'team=growth' '--reason' 'evaluation passed' '--alias' 'staging' '--json'", shells[0].script)
        assertEquals('churn:3', version.ref)
    }

    @Test
    void fromRunRefusesWhatTheRunAlreadyProvides() {
        StepError e = failure { register.call(model: 'churn', fromRun: 'r1', path: 'out/model', metrics: [auc: 0.9], datasets: ['d.csv']) }

        assertTrue(e.message, e.message.contains("'path', 'metrics', 'datasets' cannot be combined with 'fromRun'"))
        assertTrue('nothing ran', shells.isEmpty())
    }

    @Test
    void fromRunMustBeARunId() {
        StepError e = failure { register.call(model: 'churn', fromRun: '--force') }

        assertTrue(e.message, e.message.contains("'fromRun' must be a training run id, e.g. fromRun: run.id"))
    }

    static StepError failure(Closure body) {
        try {
            body()
        } catch (StepError e) {
            return e
        }
        fail('expected the error step')
        return null
    }
}
