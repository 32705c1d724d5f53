package dev.mlops

import static com.lesfurets.jenkins.unit.global.lib.LibraryConfiguration.library
import static org.junit.Assert.assertEquals
import static org.junit.Assert.assertFalse
import static org.junit.Assert.assertTrue
import static org.junit.Assert.fail

import com.lesfurets.jenkins.unit.MethodCall
import com.lesfurets.jenkins.unit.global.lib.SourceRetriever
import org.junit.Before
import org.junit.Test

/**
 * Runs the repository's Jenkinsfile.example with every step mocked, loading this module as the
 * `mlops` library through its @Library line, so the example cannot drift from the library.
 */
class JenkinsfileExampleTest extends PipelineTestSupport {

    /** Serves this module's folder as the library, whatever name and version the Jenkinsfile asks for. */
    static class ModuleFolder implements SourceRetriever {
        @Override
        List<URL> retrieve(String repository, String branch, String targetPath) {
            return [new File('.').canonicalFile.toURI().toURL()]
        }
    }

    static final String RUN_ID = '20260105-142233-a1b2c3'

    List<String> nodes = []
    List<String> stages = []
    List<String> userScripts = []
    List<Map> archived = []
    List<Map> inputs = []
    boolean smokeTestFails = false
    String evaluation = 'PASS'

    @Override
    String[] roots() {
        return ['..'] as String[] // the repository root, where Jenkinsfile.example lives
    }

    @Before
    void mockPipeline() {
        helper.registerSharedLibrary(library().name('mlops').defaultVersion('main').allowOverride(true)
                .implicit(false).targetPath('unused').retriever(new ModuleFolder()).build())
        helper.registerAllowedMethod('node', [String, Closure], { String label, Closure body -> nodes << label; body() })
        helper.registerAllowedMethod('stage', [String, Closure], { String name, Closure body -> stages << name; body() })
        helper.registerAllowedMethod('archiveArtifacts', [Map], { Map args -> archived << args })
        helper.registerAllowedMethod('timeout', [Map, Closure], { Map limit, Closure body -> body() })
        helper.registerAllowedMethod('input', [Map], { Map step -> inputs << step; return 'carol' })
        helper.registerAllowedMethod('sh', [String], { String script ->
            userScripts << script
            if (smokeTestFails && script.contains('smoke_test.py')) {
                throw stepFailure(1)
            }
        })
        files << JAR // the agent already has the CLI cached
        env.NODE_NAME = 'gpu-7'
        agent = { String script ->
            if (script.contains("'train'")) {
                return MlopsTrainTest.runJson()
            }
            if (script.contains("'evaluate'")) {
                return [PASS        : MlopsEvaluateTest.PASS, FAIL: MlopsEvaluateTest.FAIL,
                        INCONCLUSIVE: MlopsEvaluateTest.INCONCLUSIVE, ERROR: MlopsEvaluateTest.ERROR][evaluation]
            }
            if (script.contains("'alias' 'get'")) {
                return '{"schema":"mlops.alias/v1","model":"churn","alias":"staging","version":2,' +
                        '"setAt":"2026-01-04T10:00:00Z","setBy":"jenkins","reason":null}'
            }
            if (script.contains("'register'")) {
                return versionJson(3, ['staging'])
            }
            if (script.contains("'alias' 'set'")) {
                return '{"schema":"mlops.alias-change/v1","model":"churn","alias":"staging","from":3,"to":2,' +
                        '"at":"2026-01-05T10:00:00Z","by":"jenkins","reason":"smoke test failed for churn:3"}'
            }
            throw new AssertionError("unexpected command: ${script}")
        }
    }

    String viaCli(String rest) {
        return "java -jar '${JAR}' ${rest}".toString()
    }

    @Test
    void trainsOnAGpuAgentEvaluatesAgainstProductionAndRegistersThePassingRunAsStaging() {
        runScript('Jenkinsfile.example')

        assertEquals('training to smoke test on one gpu agent; promotion on any agent', ['gpu', 'linux'], nodes)
        assertEquals(['Checkout', 'Train', 'Evaluate', 'Register', 'Smoke test', 'Approve', 'Promote'], stages)
        assertEquals(1L, helper.methodCallCount('checkout'))

        Map train = onlyCall('mlopsTrain').args[0] as Map
        assertEquals(true, train.requireGpu)
        assertEquals('command', train.trainer)
        Map evaluate = onlyCall('mlopsEvaluate').args[0] as Map
        assertEquals("run:${RUN_ID}".toString(), evaluate.candidate)
        Map register = onlyCall('mlopsRegister').args[0] as Map
        assertEquals(RUN_ID, register.fromRun)
        assertEquals('staging', register.alias)

        List<Map> cli = commands()
        assertEquals(5, cli.size())
        assertEquals(viaCli("'train' '--trainer' 'command' '--command' 'python3 train.py' '--data' 'data/train.csv' " +
                "'--param' 'epochs=20' '--param' 'learning_rate=0.001' '--require-gpu' '--json'"), cli[0].script)
        assertFalse('training needs no registry credentials', cli[0].insideCredentials as boolean)
        assertEquals(viaCli("'evaluate' '--candidate' 'run:${RUN_ID}' '--holdout' 'data/holdout.csv' '--model' 'churn' " +
                "'--report-dir' '.mlops/reports/evaluation' '--no-fail' '--registry' 'azblob://models/registry' '--json'"),
                cli[1].script)
        assertEquals(viaCli("'alias' 'get' 'churn' 'staging' '--registry' 'azblob://models/registry' '--json'"), cli[2].script)
        assertEquals(viaCli("'register' '--model' 'churn' '--from-run' '${RUN_ID}' " +
                "'--reason' 'evaluation PASS: all 1 gated metric passed (accuracy +0.0200)' '--alias' 'staging' " +
                "'--registry' 'azblob://models/registry' '--json'"), cli[3].script)
        assertTrue('registry calls run with the storage credential bound', cli.drop(1).every { it.insideCredentials })
        assertTrue(credentialBindings.every { it.credentialsId == 'mlops-azure-storage' })

        assertEquals([[artifacts: '.mlops/reports/evaluation/evaluation.*', allowEmptyArchive: false, fingerprint: false]], archived)
        assertTrue(echoes.join('\n'), echoes.contains(
                'Evaluation report: /ws/.mlops/reports/evaluation/evaluation.html (archived with this build)'))
        assertEquals(["python3 smoke_test.py --model-dir '/ws/.mlops/runs/${RUN_ID}/output'".toString()], userScripts)
        assertTrue(echoes.contains('Registered churn:3 (aliases: staging)'))
        assertEquals('ml-leads', inputs[0].submitter)
        assertEquals('approver', inputs[0].submitterParameter)
        Map promote = onlyCall('mlopsAlias').args[0] as Map
        assertEquals('production', promote.alias)
        assertEquals(3, promote.version)
        assertEquals('approved by carol; evaluation PASS', promote.reason)
        assertEquals(viaCli("'alias' 'set' 'churn' 'production' '3' '--reason' 'approved by carol; evaluation PASS' " +
                "'--registry' 'azblob://models/registry' '--json'"), cli[4].script)
        assertEquals('SUCCESS', binding.getVariable('currentBuild').result)
    }

    @Test
    void aFailedEvaluationFailsTheBuildAndSkipsRegister() {
        evaluation = 'FAIL'

        try {
            runScript('Jenkinsfile.example')
            fail('the build must fail')
        } catch (StepError e) {
            assertTrue(e.message, e.message.startsWith('mlopsEvaluate: FAIL: accuracy'))
        }

        assertEquals(['Checkout', 'Train', 'Evaluate'], stages)
        assertEquals('the report is archived before the build fails', 1, archived.size())
        assertEquals(0L, helper.methodCallCount('mlopsRegister'))
        assertFalse(commands().any { it.script.contains("'register'") || it.script.contains("'alias'") })
        assertTrue(userScripts.isEmpty())
    }

    @Test
    void anInconclusiveEvaluationLeavesTheBuildUnstableAndRegistersNothing() {
        evaluation = 'INCONCLUSIVE'

        runScript('Jenkinsfile.example')

        assertEquals(['Checkout', 'Train', 'Evaluate', 'Register', 'Smoke test'], stages)
        assertEquals('UNSTABLE', binding.getVariable('currentBuild').result)
        assertEquals(0L, helper.methodCallCount('mlopsRegister'))
        assertFalse(commands().any { it.script.contains("'register'") })
        assertTrue(echoes.join('\n'), echoes.any { it.startsWith("Not registering run ${RUN_ID}: the evaluation is INCONCLUSIVE") })
        assertTrue(echoes.contains('Skipped: nothing was registered'))
        assertTrue(userScripts.isEmpty())
        assertTrue('nothing registered, nothing to approve', inputs.isEmpty())
    }

    @Test
    void noGpuOnTheAgentFailsTheTrainStageNamingTheAgent() {
        agent = { String script -> throw stepFailure(2) }

        try {
            runScript('Jenkinsfile.example')
            fail('the build must fail')
        } catch (StepError e) {
            assertTrue(e.message, e.message.contains("on agent 'gpu-7'. With requireGpu: true this is usually no visible GPU there"))
        }

        assertEquals(['Checkout', 'Train'], stages)
    }

    @Test
    void failedSmokeTestMovesStagingBackAndFailsTheBuild() {
        smokeTestFails = true

        try {
            runScript('Jenkinsfile.example')
            fail('the build must fail')
        } catch (IOException e) {
            assertEquals('script returned exit code 1', e.message)
        }

        assertEquals(['Checkout', 'Train', 'Evaluate', 'Register', 'Smoke test'], stages)
        Map rollback = onlyCall('mlopsAlias').args[0] as Map
        assertEquals([model: 'churn', alias: 'staging', version: 2, expect: 3, reason: 'smoke test failed for churn:3',
                      registry: 'azblob://models/registry', credentialsId: 'mlops-azure-storage'], rollback)
        assertEquals(viaCli("'alias' 'set' 'churn' 'staging' '2' '--expect' '3' " +
                "'--reason' 'smoke test failed for churn:3' '--registry' 'azblob://models/registry' '--json'"),
                commands().last().script)
        assertTrue(echoes.contains('Moved churn@staging: 3 -> 2'))
        assertTrue('a failed smoke test asks nobody to approve', inputs.isEmpty())
    }

    MethodCall onlyCall(String name) {
        List<MethodCall> calls = helper.callStack.findAll { it.methodName == name }
        assertEquals("calls to ${name}".toString(), 1, calls.size())
        return calls[0]
    }
}
