package dev.mlops

import static com.lesfurets.jenkins.unit.global.lib.LibraryConfiguration.library
import static org.junit.Assert.assertEquals
import static org.junit.Assert.assertFalse
import static org.junit.Assert.assertTrue
import static org.junit.Assert.fail

import com.lesfurets.jenkins.unit.MethodCall
import com.lesfurets.jenkins.unit.global.lib.SourceRetriever
import groovy.json.JsonOutput
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
    static final String HOME = '/srv/mlops/churn'

    List<String> nodes = []
    List<String> agentStack = []
    List<String> stages = []
    /** [stage, innermost node label or null] per stage. */
    List<List> stageAgents = []
    List<String> workspaces = []
    List<Map> archived = []
    List<Map> inputs = []
    List<Map> jobProperties = []
    List<String> causes = []
    Map params = [MLOPS_MODE: 'release', MLOPS_RETRAIN_REASON: '']
    String evaluation = 'PASS'
    /** The rollout `mlops deploy status` prints; each deploy subcommand may change it (leaves) and exit non-zero (exitCodes). */
    Map rollout = null
    Map<String, Object> leaves = [staging: 'STAGING_DEPLOYED', smoke: 'AWAITING_APPROVAL', approve: 'APPROVED', canary: 'PROMOTED']
    Map<String, Integer> exitCodes = [:]

    @Override
    String[] roots() {
        return ['..'] as String[] // the repository root, where Jenkinsfile.example lives
    }

    @Before
    void mockPipeline() {
        helper.registerSharedLibrary(library().name('mlops').defaultVersion('main').allowOverride(true)
                .implicit(false).targetPath('unused').retriever(new ModuleFolder()).build())
        binding.setVariable('params', params)
        helper.registerAllowedMethod('node', [String, Closure], { String label, Closure body ->
            nodes << label
            agentStack << label
            try {
                return body()
            } finally {
                agentStack.remove(agentStack.size() - 1)
            }
        })
        helper.registerAllowedMethod('ws', [String, Closure], { String dir, Closure body -> workspaces << dir; body() })
        helper.registerAllowedMethod('stage', [String, Closure], { String name, Closure body ->
            stages << name
            stageAgents << [name, agentStack ? agentStack.last() : null]
            body()
        })
        helper.registerAllowedMethod('withEnv', [List, Closure], { List vars, Closure body -> body() })
        helper.registerAllowedMethod('archiveArtifacts', [Map], { Map args -> archived << args })
        helper.registerAllowedMethod('timeout', [Map, Closure], { Map limit, Closure body -> body() })
        helper.registerAllowedMethod('input', [Map], { Map step -> inputs << (step + [agent: agentStack ? agentStack.last() : null]); 'carol' })
        helper.registerAllowedMethod('properties', [List], { List props -> jobProperties.addAll(props) })
        helper.registerAllowedMethod('parameters', [List], { List list -> [parameters: list] })
        helper.registerAllowedMethod('pipelineTriggers', [List], { List list -> [pipelineTriggers: list] })
        helper.registerAllowedMethod('cron', [String], { String spec -> [cron: spec] })
        helper.registerAllowedMethod('choice', [Map], { Map p -> p })
        Map currentBuild = binding.getVariable('currentBuild') as Map
        currentBuild.getBuildCauses = { String type -> causes.findAll { it == type } }
        files << JAR // the agent already has the CLI cached
        env.NODE_NAME = 'gpu-7'
        env.JOB_NAME = 'churn'
        agent = { String script ->
            if (script.contains("'train'")) {
                return MlopsTrainTest.runJson()
            }
            if (script.contains("'evaluate'")) {
                return [PASS        : MlopsEvaluateTest.PASS, FAIL: MlopsEvaluateTest.FAIL,
                        INCONCLUSIVE: MlopsEvaluateTest.INCONCLUSIVE, ERROR: MlopsEvaluateTest.ERROR][evaluation]
            }
            if (script.contains("'register'")) {
                return versionJson(3, ['staging'])
            }
            if (script.contains("'drift'")) {
                return MlopsDriftCheckTest.DRIFT
            }
            if (script.contains("'deploy' 'status'")) {
                if (rollout == null) {
                    throw stepFailure(3)
                }
                return JsonOutput.toJson([schema: 'mlops.rollout/v1', rollout: rollout])
            }
            def sub = script =~ /'deploy' '(churn:3|smoke|approve|canary|abort)'/
            if (sub.find()) {
                String name = sub.group(1) == 'churn:3' ? 'staging' : sub.group(1)
                def next = leaves[name]
                if (next) {
                    rollout = next instanceof Map ? next : MlopsDeployTest.rollout(next.toString()) + [candidate: 3, previous: 2]
                }
                if (exitCodes[name]) {
                    throw stepFailure(exitCodes[name])
                }
                return ''
            }
            throw new AssertionError("unexpected command: ${script}")
        }
    }

    String viaCli(String rest) {
        return "java -jar '${JAR}' ${rest}".toString()
    }

    String result() {
        return binding.getVariable('currentBuild').result
    }

    List<String> deployCommands() {
        String prefix = viaCli('')
        return commands().findAll { it.script.contains("'deploy'") && !it.script.contains("'status'") }.collect {
            it.script - prefix - " '--registry' 'azblob://models/registry'"
        }
    }

    @Test
    void trainsOnGpuThenReleasesThroughStagingSmokeApprovalAndCanaryOnTheServingAgent() {
        runScript('Jenkinsfile.example')

        assertEquals(['Checkout', 'Train', 'Evaluate', 'Register', 'Deploy staging', 'Smoke test', 'Approve', 'Canary', 'Production'],
                stages)
        assertEquals('training on a gpu agent; the rollout on the serving agent', ['gpu', 'linux', 'linux'], nodes)
        assertEquals(['Train', 'gpu'], stageAgents.find { it[0] == 'Train' })
        assertEquals('approval holds no executor', ['Approve', null], stageAgents.find { it[0] == 'Approve' })
        assertEquals(['Canary', 'linux'], stageAgents.find { it[0] == 'Canary' })
        assertEquals('one fixed folder keeps the rollout between the two nodes', [HOME, HOME], workspaces)

        Map train = onlyCall('mlopsTrain').args[0] as Map
        assertEquals(true, train.requireGpu)
        assertEquals(false, train.force)
        assertEquals("run:${RUN_ID}".toString(), (onlyCall('mlopsEvaluate').args[0] as Map).candidate)
        Map register = onlyCall('mlopsRegister').args[0] as Map
        assertEquals(RUN_ID, register.fromRun)
        assertEquals('staging', register.alias)
        assertEquals([[artifacts: '.mlops/reports/evaluation/evaluation.*', allowEmptyArchive: false, fingerprint: false]], archived)

        assertEquals('alice,carol', inputs[0].submitter)
        assertEquals('approver', inputs[0].submitterParameter)
        assertEquals(["'deploy' 'churn:3' '--stage' 'staging' '--port' '8090' '--approver' 'alice' '--approver' 'carol'",
                      "'deploy' 'smoke' 'churn' '--holdout' 'data/holdout.csv'",
                      "'deploy' 'approve' 'churn' '--as' 'carol'",
                      "'deploy' 'canary' 'churn' '--port' '8080'"], deployCommands())
        List<Map> canary = commands().findAll { it.script.contains("'canary'") }
        assertTrue('the admin token is bound while the canary runs', canary[0].insideCredentials as boolean)
        assertTrue(credentialBindings.any { it.credentialsId == 'mlops-admin-token' && it.variable == 'MLOPS_ADMIN_TOKEN' })
        assertFalse(commands()*.script.join('\n').contains(SECRET))
        assertEquals('PROMOTED', rollout.state)
        assertTrue(echoes.join('\n'), echoes.any { it.startsWith('churn@production -> 3 (approved by carol)') })
        assertEquals([cron: 'H/15 * * * *'], jobProperties[1].pipelineTriggers[0])
        assertEquals('SUCCESS', result())
    }

    @Test
    void aFailedCanaryStepIsRolledBackInTheRollbackStageAndFailsTheBuild() {
        exitCodes.canary = 5
        leaves.canary = MlopsDeployTest.withLast(MlopsDeployTest.rollout('ROLLED_BACK') + [candidate: 3, previous: 2],
                'canary-step-analysed', 'canary FAIL at 10%: error rate 0.08 > 0.01')

        try {
            runScript('Jenkinsfile.example')
            fail('the build must fail')
        } catch (StepError e) {
            assertEquals('mlopsDeploy: canary of churn:3 ended ROLLED_BACK: canary FAIL at 10%: error rate 0.08 > 0.01; ' +
                    '100% of traffic is back on churn:2 (automatic) and churn@production stays 2', e.message)
        }

        assertEquals(['Approve', 'Canary', 'Rollback'], stages.takeRight(3))
        Map rollback = helper.callStack.find { it.methodName == 'mlopsDeploy' && (it.args[0] as Map).action == 'rollback' }.args[0] as Map
        assertEquals([3, 'carol', 'canary of churn:3 failed'], [rollback.version, rollback.approver, rollback.reason])
        assertTrue(echoes.join('\n'), echoes.any { it.contains('churn:3 is already ROLLED_BACK; production serves churn:2') })
        assertFalse('production never moved, so nothing moves it back', commands().any { it.script.contains("'rollback'") })
        assertEquals('FAILURE', result())
    }

    @Test
    void anInconclusiveCanaryStepPausesTheRolloutAndLeavesTheBuildUnstable() {
        exitCodes.canary = 6
        leaves.canary = MlopsDeployTest.rollout('PAUSED_INCONCLUSIVE', [pausedFrom: 'CANARY', stepIndex: 1, candidate: 3, previous: 2])

        runScript('Jenkinsfile.example')

        assertEquals(['Approve', 'Canary'], stages.takeRight(2))
        assertEquals('UNSTABLE', result())
        assertTrue(echoes.join('\n'), echoes.any {
            it.startsWith('Canary of churn:3 paused at 50%: alice or carol runs `mlops deploy resume churn --as USER`')
        })
        assertFalse(stages.contains('Rollback'))
    }

    @Test
    void aFailedSmokeTestFailsTheBuildBeforeAnyoneIsAsked() {
        exitCodes.smoke = 5
        leaves.smoke = 'FAILED'

        try {
            runScript('Jenkinsfile.example')
            fail('the build must fail')
        } catch (StepError e) {
            assertTrue(e.message, e.message.startsWith('mlopsDeploy: smoke of churn:3 ended FAILED'))
        }

        assertEquals(['Deploy staging', 'Smoke test'], stages.takeRight(2))
        assertTrue(inputs.isEmpty())
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
        assertFalse(commands().any { it.script.contains("'register'") || it.script.contains("'deploy'") })
    }

    @Test
    void anInconclusiveEvaluationLeavesTheBuildUnstableAndReleasesNothing() {
        evaluation = 'INCONCLUSIVE'

        runScript('Jenkinsfile.example')

        assertEquals(['Checkout', 'Train', 'Evaluate', 'Register'], stages)
        assertEquals('UNSTABLE', result())
        assertEquals(0L, helper.methodCallCount('mlopsRegister'))
        assertEquals(0L, helper.methodCallCount('mlopsDeploy'))
        assertTrue(echoes.join('\n'), echoes.any { it.startsWith("Not registering run ${RUN_ID}: the evaluation is INCONCLUSIVE") })
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
    void aTimerBuildIsTheDriftCheckWhichTriggersRetrainingWithTheSecretOnlyInTheEnvironment() {
        causes << 'hudson.triggers.TimerTrigger$TimerTriggerCause'

        runScript('Jenkinsfile.example')

        assertEquals(['Drift check'], stages)
        assertEquals(['linux'], nodes)
        assertEquals([HOME], workspaces)
        String drift = commands()[0].script
        assertTrue(drift, drift.contains("'--webhook' 'https://jenkins.example.com/mlops-webhook/retrain' '--job' 'churn' " +
                "'--cooldown-minutes' '360' '--max-per-day' '2'"))
        assertTrue(credentialBindings.any { it.credentialsId == 'mlops-webhook-secret' && it.variable == 'MLOPS_WEBHOOK_SECRET' })
        assertFalse(drift.contains(SECRET))
        assertEquals('UNSTABLE', result())
        assertEquals(0L, helper.methodCallCount('mlopsTrain'))
    }

    @Test
    void theRetrainWebhookBuildTrainsAnewAndSaysWhy() {
        params.MLOPS_RETRAIN_REASON = 'drift in 4 of 10 features'

        runScript('Jenkinsfile.example')

        assertEquals(true, (onlyCall('mlopsTrain').args[0] as Map).force)
        assertTrue((onlyCall('mlopsRegister').args[0] as Map).reason.startsWith('retrain: drift in 4 of 10 features; evaluation PASS'))
    }

    MethodCall onlyCall(String name) {
        List<MethodCall> calls = helper.callStack.findAll { it.methodName == name }
        assertEquals("calls to ${name}".toString(), 1, calls.size())
        return calls[0]
    }
}
