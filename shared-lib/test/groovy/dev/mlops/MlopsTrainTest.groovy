package dev.mlops

import static dev.mlops.MlopsRegisterTest.failure
import static org.junit.Assert.assertEquals
import static org.junit.Assert.assertFalse
import static org.junit.Assert.assertTrue

import org.junit.Before
import org.junit.Test

class MlopsTrainTest extends PipelineTestSupport {

    static final String RUN_ID = '20260105-142233-a1b2c3'

    Script train
    /** Steps in the order they ran: node(label), lock(...), checkout, sh. */
    List<String> order = []
    List<String> nodes = []
    List<Map> locks = []
    String currentNode = null
    boolean insideLock = false

    static String runJson(String status = 'SUCCEEDED', boolean reused = false) {
        """{"schema":"mlops.run/v1","id":"${RUN_ID}","status":"${status}","trainer":"command","trainerVersion":"1",
"params":{"epochs":"20"},"seed":42,"metrics":{"auc":0.91,"f1":0.84},
"epochs":[{"epoch":1,"metrics":{"loss":0.5}}],
"environment":{"host":"gpu-host","agent":"gpu-7","gpus":[{"name":"NVIDIA H100 80GB HBM3","driverVersion":"550.54.15"}]},
"outputDir":"/ws/.mlops/runs/${RUN_ID}/output","files":[{"path":"model.onnx","sizeBytes":10,"sha256":"${'a' * 64}"}],
"startedAt":"2026-01-05T14:22:33Z","finishedAt":"2026-01-05T14:30:00Z","reused":${reused}}"""
    }

    @Before
    void loadVars() {
        binding.setVariable('mlopsCli', loadScript('mlopsCli.groovy'))
        train = loadScript('mlopsTrain.groovy')
        env.MLOPS_CLI = 'mlops'
        env.NODE_NAME = 'gpu-7'
        agent = { String script -> runJson() }
        helper.registerAllowedMethod('node', [String, Closure], { String label, Closure body ->
            order << "node(${label})".toString()
            nodes << label
            currentNode = label
            try {
                return body()
            } finally {
                currentNode = null
            }
        })
        helper.registerAllowedMethod('lock', [Map, Closure], { Map args, Closure body ->
            order << "lock(${args.label}, ${args.quantity})".toString()
            locks << args
            insideLock = true
            try {
                return body()
            } finally {
                insideLock = false
            }
        })
        helper.registerAllowedMethod('checkout', [Map], { Map scm -> order << "checkout in ${currentNode}".toString() })
    }

    @Override
    Object runShell(String kind, Map step) {
        order << "${kind} in ${currentNode}${insideLock ? ' (locked)' : ''}".toString()
        return super.runShell(kind, step)
    }

    @Test
    void buildsTheCliCommandLineAndReturnsTheParsedRun() {
        Map run = train.call(trainer: 'command', command: 'python3 train.py --fast', data: ['data/train.csv', 'data/extra.csv'],
                label: 'churned', features: ['age', 'income'], params: [epochs: 20, lr: 0.001], seed: 7,
                codePaths: ['train.py', 'src'], force: true, requireGpu: true, gpus: '0,1', runsDir: '/var/mlops/runs')

        assertEquals(1, shells.size())
        Map call = shells[0]
        assertEquals("mlops 'train' '--trainer' 'command' '--command' 'python3 train.py --fast' " +
                "'--data' 'data/train.csv' '--data' 'data/extra.csv' '--label' 'churned' '--features' 'age,income' " +
                "'--param' 'epochs=20' '--param' 'lr=0.001' '--seed' '7' '--code-path' 'train.py' '--code-path' 'src' " +
                "'--force' '--require-gpu' '--gpus' '0,1' '--runs-dir' '/var/mlops/runs' '--json'", call.script)
        assertTrue(call.returnStdout as boolean)
        assertEquals('mlops train', call.label)

        assertEquals('mlops.run/v1', run.schema)
        assertEquals(RUN_ID, run.id)
        assertEquals('SUCCEEDED', run.status)
        assertEquals(false, run.reused)
        assertEquals(0.91, run.metrics.auc, 1e-9)
        assertEquals('NVIDIA H100 80GB HBM3', run.environment.gpus[0].name)
        assertEquals(["mlopsTrain: run ${RUN_ID} SUCCEEDED on gpu-7; metrics auc=0.9100, f1=0.8400".toString()], echoes)
    }

    @Test
    void theSmallestCallTrainsTheBuiltInModelInTheCurrentNode() {
        train.call(data: 'data/train.csv')

        assertEquals("mlops 'train' '--data' 'data/train.csv' '--json'", shells[0].script)
        assertTrue('no node of its own', nodes.isEmpty())
        assertEquals(0L, helper.methodCallCount('checkout'))
        assertTrue(locks.isEmpty())
    }

    @Test
    void agentWrapsCheckoutAndTrainingInNodeWithThatLabel() {
        Map run = train.call(agent: 'gpu && cuda12', requireGpu: true, data: ['data/train.csv'])

        assertEquals(['gpu && cuda12'], nodes)
        assertEquals(['node(gpu && cuda12)', 'checkout in gpu && cuda12', 'sh in gpu && cuda12'], order)
        assertTrue(shells[0].script, shells[0].script.contains("'--require-gpu'"))
        assertEquals(RUN_ID, run.id)
    }

    @Test
    void checkoutFalseSkipsTheCheckoutInTheAgent() {
        train.call(agent: 'gpu', checkout: false, data: ['data/train.csv'])

        assertEquals(['node(gpu)', 'sh in gpu'], order)
    }

    @Test
    void lockTrueTakesOneGpuSlotBeforeAllocatingTheNode() {
        train.call(agent: 'gpu', lock: true, data: ['data/train.csv'])

        assertEquals([[label: 'gpu', quantity: 1]], locks)
        assertEquals(['lock(gpu, 1)', 'node(gpu)', 'checkout in gpu', 'sh in gpu (locked)'], order)
    }

    @Test
    void lockTakesTheAskedNumberOfSlotsWithTheAskedLabel() {
        train.call(lock: 2, lockLabel: 'a100', data: ['data/train.csv'])

        assertEquals([[label: 'a100', quantity: 2]], locks)
        assertEquals(['lock(a100, 2)', 'sh in null (locked)'], order)
    }

    @Test
    void noGpuOnTheAgentFailsNamingTheAgentAndHowToReachAGpuOne() {
        env.NODE_NAME = 'cpu-agent-3'
        agent = { String script -> throw stepFailure(2) }

        StepError e = failure { train.call(requireGpu: true, data: ['data/train.csv']) }

        assertTrue(e.message, e.message.startsWith("mlopsTrain: the mlops CLI exited with code 2 (bad input) on agent 'cpu-agent-3'."))
        assertTrue(e.message, e.message.contains("label your GPU agents (e.g. 'gpu') and train with mlopsTrain(agent: 'gpu', ...)"))
    }

    @Test
    void badInputWithoutRequireGpuIsReportedPlainly() {
        agent = { String script -> throw stepFailure(2) }

        StepError e = failure { train.call(data: ['data/train.csv']) }

        assertEquals("mlopsTrain: the mlops CLI exited with code 2 (bad input) on agent 'gpu-7'; its message is in the log just above.",
                e.message)
    }

    @Test
    void aFailedRunFailsTheStep() {
        agent = { String script -> throw stepFailure(1) }

        StepError e = failure { train.call(data: ['data/train.csv']) }

        assertTrue(e.message, e.message.startsWith("mlopsTrain: the training run on agent 'gpu-7' did not succeed"))
    }

    @Test
    void aReusedRunIsSaidToBeReused() {
        agent = { String script -> runJson('SUCCEEDED', true) }

        Map run = train.call(data: ['data/train.csv'])

        assertEquals(true, run.reused)
        assertTrue(echoes[0], echoes[0].contains('SUCCEEDED (reused, not retrained)'))
    }

    @Test
    void reportsEveryProblemAtOnceBeforeRunningAnything() {
        StepError e = failure {
            train.call(trainer: 'xgboost', params: 'epochs=3', seed: 'abc', lock: 'yes', epochs: 3, agent: ' ')
        }

        assertTrue(e.message, e.message.contains("unknown argument 'epochs'"))
        assertTrue(e.message, e.message.contains("'data' is required"))
        assertTrue(e.message, e.message.contains("'trainer' must be one of djl-mlp, command; got 'xgboost'"))
        assertTrue(e.message, e.message.contains("'params' must be a map"))
        assertTrue(e.message, e.message.contains("'seed' must be a whole number"))
        assertTrue(e.message, e.message.contains("'lock' must be true or a number of GPU slots"))
        assertTrue(e.message, e.message.contains("'agent' must be an agent label"))
        assertTrue('nothing ran', shells.isEmpty())
        assertTrue(nodes.isEmpty())
    }

    @Test
    void commandAndTrainerMustAgree() {
        StepError missing = failure { train.call(trainer: 'command', data: ['d.csv']) }
        assertTrue(missing.message, missing.message.contains("'command' is required with trainer: 'command'"))

        StepError stray = failure { train.call(command: 'python3 train.py', data: ['d.csv']) }
        assertTrue(stray.message, stray.message.contains("'command' needs trainer: 'command'"))
    }

    @Test
    void theCommandLineParsesBackToExactlyTheArgumentsThroughARealShell() {
        env.MLOPS_CLI = "printf '%s\\000'"
        String hostile = "a'b; rm -rf / \$(id) `id` \"q\" \\ end"
        agent = { String script -> runJson() }

        train.call(trainer: 'command', command: "python3 train.py --note '${hostile}'".toString(), data: ['data/my data.csv'],
                params: [note: hostile])

        assertEquals(['train', '--trainer', 'command', '--command', "python3 train.py --note '${hostile}'".toString(),
                      '--data', 'data/my data.csv', '--param', "note=${hostile}".toString(), '--json'],
                shellWords(shells[0].script))
    }
}
