package dev.mlops

import static dev.mlops.MlopsRegisterTest.failure
import static org.junit.Assert.assertEquals
import static org.junit.Assert.assertFalse
import static org.junit.Assert.assertNull
import static org.junit.Assert.assertTrue

import groovy.json.JsonOutput
import org.junit.Before
import org.junit.Test

class MlopsDeployTest extends PipelineTestSupport {

    static final String STAGING_URL = 'http://127.0.0.1:8090'
    static final String PRODUCTION_URL = 'http://127.0.0.1:8080'

    Script deploy
    /** The rollout `mlops deploy status` prints (null: the model has none, exit 3). */
    Map rollout = rollout('STAGING_DEPLOYED')
    /** Exit code per CLI subcommand ('canary', 'smoke', ...); absent: 0. */
    Map<String, Integer> exitCodes = [:]
    /** The rollout state each subcommand leaves behind. */
    Map<String, String> leaves = [:]
    List<List> withEnvs = []

    static Map rollout(String state, Map extra = [:]) {
        Map history = [at: '2026-01-05T10:00:00Z', event: 'staging-deployed', actor: 'jenkins', from: 'PENDING', to: 'STAGING_DEPLOYED',
                       step: 0, why: "candidate deployed to staging at ${STAGING_URL}".toString(), evidence: [STAGING_URL]]
        return [schema: 1, id: 'v4-1767607200000', model: 'churn', candidate: 4, previous: 3,
                plan: [smoke: true, slo: null, approvers: ['alice'], steps: [10, 50, 100],
                       analysis: [minRequests: 50, maxErrorRate: 0.01, maxP99Millis: 500.0, maxShift: 0.2]],
                state: state, stepIndex: 0, pausedFrom: null, pause: null, approval: null, history: [history]] + extra
    }

    static Map withLast(Map rollout, String event, String why) {
        return rollout + [history: rollout.history + [[event: event, why: why, evidence: []]]]
    }

    @Before
    void loadVars() {
        binding.setVariable('mlopsCli', loadScript('mlopsCli.groovy'))
        deploy = loadScript('mlopsDeploy.groovy')
        env.MLOPS_CLI = 'mlops'
        helper.registerAllowedMethod('withEnv', [List, Closure], { List vars, Closure body -> withEnvs << vars; body() })
        agent = { String script ->
            if (script.contains("'deploy' 'status'")) {
                if (rollout == null) {
                    throw stepFailure(3)
                }
                return JsonOutput.toJson([schema: 'mlops.rollout/v1', rollout: rollout])
            }
            if (script.startsWith("mlops 'rollback'")) {
                return '{"schema":"mlops.rollback/v1","model":"churn","alias":"production","from":4,"to":3,"redeployed":true,"seconds":3.7}'
            }
            String sub = script.startsWith("mlops 'deploy' 'churn:") ? 'staging' : (script =~ /^mlops 'deploy' '(\w+)'/)[0][1]
            if (leaves[sub]) {
                rollout = leaves[sub] instanceof Map ? leaves[sub] : rollout(leaves[sub])
            }
            if (exitCodes[sub]) {
                throw stepFailure(exitCodes[sub])
            }
            return ''
        }
    }

    List<String> cliLines() {
        return commands().collect { it.script }
    }

    String result() {
        return binding.getVariable('currentBuild').result
    }

    @Test
    void stagingDeploysTheVersionWithItsApproversAndReturnsWhereItAnswers() {
        Map r = deploy.call(action: 'staging', model: 'churn', version: 4, port: 8090, target: 'local', approvers: ['alice', 'group:ml-leads'],
                registry: 'azblob://models/registry', credentialsId: 'mlops-azure-storage')

        assertEquals(["mlops 'deploy' 'churn:4' '--stage' 'staging' '--port' '8090' '--approver' 'alice' '--approver' 'group:ml-leads' " +
                              "'--target' 'local' '--registry' 'azblob://models/registry'",
                      "mlops 'deploy' 'status' 'churn' '--registry' 'azblob://models/registry'"], cliLines())
        assertTrue('registry calls run with the storage credential bound', commands().every { it.insideCredentials })
        assertFalse(cliLines().join('\n').contains(SECRET))
        assertEquals('STAGING_DEPLOYED', r.state)
        assertEquals('PASS', r.outcome)
        assertEquals(STAGING_URL, r.url)
        assertEquals('churn:4', r.ref)
        assertEquals('v4-1767607200000', r.rollout)
        assertEquals("mlopsDeploy: staging of churn:4: STAGING_DEPLOYED at ${STAGING_URL}".toString(), echoes[0])
        assertEquals('the staging server outlives the step', ['JENKINS_NODE_COOKIE=dontKillMe', 'BUILD_ID=dontKillMe'], withEnvs[0])
    }

    @Test
    void smokeSendsTheHoldoutToStaging() {
        leaves.smoke = 'AWAITING_APPROVAL'

        Map r = deploy.call(action: 'smoke', model: 'churn', version: 4, holdout: 'data/holdout.csv', rows: 50)

        assertEquals("mlops 'deploy' 'smoke' 'churn' '--holdout' 'data/holdout.csv' '--rows' '50'", cliLines()[0])
        assertEquals('AWAITING_APPROVAL', r.state)
        assertEquals('SUCCESS', result())
    }

    @Test
    void aFailedSmokeTestFailsTheBuild() {
        exitCodes.smoke = 5
        leaves.smoke = withLast(rollout('FAILED'), 'smoke-result', 'smoke FAIL: 3 of 50 predictions differ')

        StepError e = failure { deploy.call(action: 'smoke', model: 'churn', holdout: 'data/holdout.csv') }

        assertEquals('mlopsDeploy: smoke of churn:4 ended FAILED: smoke FAIL: 3 of 50 predictions differ', e.message)
    }

    @Test
    void canaryWithTheAdminTokenOnlyInTheEnvironmentPromotes() {
        rollout = rollout('APPROVED')
        leaves.canary = 'PROMOTED'
        files << '.mlops/deployments/production/deployment.json'
        fileContents['.mlops/deployments/production/deployment.json'] = "{\"stage\":\"production\",\"url\":\"${PRODUCTION_URL}\"}".toString()

        Map r = deploy.call(action: 'canary', model: 'churn', version: 4, stepSeconds: 30, traffic: 'data/holdout.csv', rps: 200,
                steps: [10, 50, 100], analysis: [min_requests: 50, max_error_rate: 0.01, max_p99_ms: 500, max_shift: 0.2],
                adminTokenCredentialsId: 'mlops-admin-token')

        assertEquals("mlops 'deploy' 'canary' 'churn' '--step-seconds' '30' '--traffic' 'data/holdout.csv' '--rps' '200'",
                cliLines()[0])
        assertTrue(commands()[0].insideCredentials as boolean)
        assertEquals([[credentialsId: 'mlops-admin-token', variable: 'MLOPS_ADMIN_TOKEN']], credentialBindings.unique())
        assertFalse(cliLines().join('\n').contains(SECRET) || cliLines().join('\n').contains('TOKEN'))
        assertEquals('PROMOTED', r.state)
        assertEquals('PROMOTED', r.outcome)
        assertEquals(100, r.canaryWeight)
        assertEquals(PRODUCTION_URL, r.url)
        assertEquals('SUCCESS', result())
    }

    @Test
    void promoteWithoutCanaryRecordsTheApproverThenEndsTheRolloutPromoted() {
        rollout = rollout('AWAITING_APPROVAL')
        leaves.approve = 'APPROVED'
        leaves.promote = 'PROMOTED'

        Map r = deploy.call(action: 'promote', model: 'churn', version: 4, approver: 'alice', target: 'docker')

        List<String> actions = cliLines().findAll { !it.contains("'status'") }
        assertEquals(["mlops 'deploy' 'approve' 'churn' '--as' 'alice'", "mlops 'deploy' 'promote' 'churn' '--target' 'docker'"], actions)
        assertEquals('PROMOTED', r.state)
        assertEquals('SUCCESS', result())
    }

    @Test
    void canaryAfterAJenkinsApprovalRecordsTheApproverInTheRolloutFirst() {
        rollout = rollout('AWAITING_APPROVAL')
        leaves.approve = 'APPROVED'
        leaves.canary = 'PROMOTED'

        deploy.call(action: 'canary', model: 'churn', version: 4, approver: 'bob', groups: ['ml-leads'], evidence: ['https://ci/job/7/'])

        assertEquals(["mlops 'deploy' 'status' 'churn'",
                      "mlops 'deploy' 'approve' 'churn' '--as' 'bob' '--group' 'ml-leads' '--evidence' 'https://ci/job/7/'",
                      "mlops 'deploy' 'status' 'churn'",
                      "mlops 'deploy' 'canary' 'churn'",
                      "mlops 'deploy' 'status' 'churn'"], cliLines())
    }

    @Test
    void aRolledBackCanaryReportsWhereTrafficWentThenFailsTheBuild() {
        rollout = rollout('APPROVED')
        exitCodes.canary = 5
        leaves.canary = withLast(rollout('ROLLED_BACK'), 'canary-step-analysed', 'canary FAIL at 50%: error rate 0.08 > 0.01')

        StepError e = failure { deploy.call(action: 'canary', model: 'churn') }

        assertEquals('mlopsDeploy: canary of churn:4 ended ROLLED_BACK: canary FAIL at 50%: error rate 0.08 > 0.01; ' +
                '100% of traffic is back on churn:3 (automatic) and churn@production stays 3', e.message)
        assertEquals('mlopsDeploy: canary of churn:4: ROLLED_BACK', echoes[0])
    }

    @Test
    void aPausedCanaryLeavesTheBuildUnstableNamingResumeAndAbort() {
        rollout = rollout('APPROVED')
        exitCodes.canary = 6
        leaves.canary = withLast(rollout('PAUSED_INCONCLUSIVE', [pausedFrom: 'CANARY', stepIndex: 1]), 'canary-step-analysed',
                'canary INCONCLUSIVE at 50%: 12 requests < 50')

        Map r = deploy.call(action: 'canary', model: 'churn')

        assertEquals('UNSTABLE', result())
        assertEquals('INCONCLUSIVE', r.outcome)
        assertEquals('PAUSED_INCONCLUSIVE', r.state)
        assertEquals(50, r.canaryWeight)
        String paused = echoes[1]
        assertTrue(paused, paused.startsWith('mlopsDeploy: canary of churn:4 is PAUSED_INCONCLUSIVE at 50%: canary INCONCLUSIVE'))
        assertTrue(paused, paused.contains('`mlops deploy resume churn --as USER`'))
        assertTrue(paused, paused.contains('`mlops deploy abort churn --as USER`'))
    }

    @Test
    void resumeAndAbortActAsTheNamedApprover() {
        rollout = rollout('PAUSED_INCONCLUSIVE', [pausedFrom: 'CANARY'])
        leaves.resume = 'PROMOTED'
        deploy.call(action: 'resume', model: 'churn', approver: 'alice', reason: 'low traffic at night', stepSeconds: 60)
        exitCodes.abort = 5
        leaves.abort = 'ABORTED'
        StepError e = failure { deploy.call(action: 'abort', model: 'churn', approver: 'alice') }

        assertEquals("mlops 'deploy' 'resume' 'churn' '--as' 'alice' '--reason' 'low traffic at night' '--step-seconds' '60'", cliLines()[0])
        assertEquals("mlops 'deploy' 'abort' 'churn' '--as' 'alice'", cliLines()[2])
        assertTrue(e.message, e.message.startsWith('mlopsDeploy: abort of churn:4 ended ABORTED'))
    }

    @Test
    void rollbackAfterAnAutomaticRollbackMovesNothing() {
        rollout = rollout('ROLLED_BACK')

        Map r = deploy.call(action: 'rollback', model: 'churn', version: 4, reason: 'canary FAIL')

        assertEquals(["mlops 'deploy' 'status' 'churn'"], cliLines())
        assertEquals(false, r.rolledBack)
        assertTrue(echoes[0], echoes[0].contains('churn:4 is already ROLLED_BACK; production serves churn:3'))
    }

    @Test
    void rollbackOfALiveRolloutAbortsItAsTheApprover() {
        rollout = rollout('PAUSED_INCONCLUSIVE', [pausedFrom: 'CANARY'])
        exitCodes.abort = 5
        leaves.abort = 'ABORTED'

        Map r = deploy.call(action: 'rollback', model: 'churn', version: 4, approver: 'alice', reason: 'canary INCONCLUSIVE')

        assertEquals("mlops 'deploy' 'abort' 'churn' '--as' 'alice' '--reason' 'canary INCONCLUSIVE'", cliLines()[1])
        assertEquals('ABORTED', r.state)
        assertEquals(true, r.rolledBack)
    }

    @Test
    void rollbackOfAPromotedVersionMovesProductionBack() {
        rollout = rollout('PROMOTED')

        Map r = deploy.call(action: 'rollback', model: 'churn', version: 4, reason: 'error rate')

        assertEquals("mlops 'rollback' 'churn' '--reason' 'error rate' '--json'", cliLines()[1])
        assertEquals(4, r.from)
        assertEquals(3, r.to)
        assertEquals('mlopsDeploy: rolled back churn@production: 4 -> 3, redeployed and answering', echoes[0])
    }

    @Test
    void statusOfAModelWithoutRolloutsIsNull() {
        rollout = null

        Map r = deploy.call(action: 'status', model: 'churn')

        assertNull(r.state)
        assertNull(r.rollout)
    }

    @Test
    void badArgumentsAreAllReportedBeforeAnythingRuns() {
        StepError e = failure { deploy.call(action: 'launch', model: 'churn', port: 'eighty', colour: 'red', steps: [5, 100]) }

        assertTrue(e.message, e.message.contains("unknown argument 'colour'"))
        assertTrue(e.message, e.message.contains("'action' must be one of staging, smoke, approve, canary, promote, resume, abort, rollback, status; got 'launch'"))
        assertTrue(e.message, e.message.contains("'port' must be a positive number; got 'eighty'"))
        assertTrue(e.message, e.message.contains("'steps' must be [10, 50, 100]"))
        StepError staging = failure { deploy.call(action: 'staging', model: 'churn') }
        assertTrue(staging.message, staging.message.contains("'version' is required for action 'staging'"))
        StepError smoke = failure { deploy.call(action: 'smoke', model: 'churn', analysis: [max_shift: 0.5]) }
        assertTrue(smoke.message, smoke.message.contains("'holdout' is required for action 'smoke'"))
        assertTrue(smoke.message, smoke.message.contains("'analysis' must be"))
        assertTrue(shells.isEmpty())
    }

    @Test
    void aCliFailureNamesItsExitCode() {
        exitCodes.staging = 4

        StepError e = failure { deploy.call(action: 'staging', model: 'churn', version: 4) }

        assertEquals('mlopsDeploy: mlops deploy staging exited with code 4 (conflict); its message is in the log just above.', e.message)
    }
}
