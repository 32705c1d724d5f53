package dev.mlops

import static dev.mlops.MlopsRegisterTest.failure
import static org.junit.Assert.assertEquals
import static org.junit.Assert.assertFalse
import static org.junit.Assert.assertTrue

import org.junit.Before
import org.junit.Test

class MlopsDriftCheckTest extends PipelineTestSupport {

    // the summary `mlops drift --json` prints (DriftReport.summary()), plus the trigger's outcome
    static final String DRIFT = '{"schema":"mlops.drift-summary/v1","model":"churn","version":3,"drift":true,"drifted_features":4,' +
            '"evaluated_features":10,"drifted_share":0.4,"current_rows":10000,"trigger":{"outcome":"TRIGGERED","reason":"POST 202"},' +
            '"report":"/ws/.mlops/reports/drift/drift.html"}'
    static final String NO_DRIFT = '{"schema":"mlops.drift-summary/v1","model":"churn","version":3,"drift":false,"drifted_features":0,' +
            '"evaluated_features":10,"current_rows":10000}'

    Script drift
    List<Map> archived = []
    String answer = DRIFT

    @Before
    void loadVars() {
        binding.setVariable('mlopsCli', loadScript('mlopsCli.groovy'))
        drift = loadScript('mlopsDriftCheck.groovy')
        env.MLOPS_CLI = 'mlops'
        agent = { String script -> answer }
        helper.registerAllowedMethod('archiveArtifacts', [Map], { Map args -> archived << args })
    }

    String result() {
        return binding.getVariable('currentBuild').result
    }

    @Test
    void driftWithAWebhookTriggersRetrainingWithTheSecretOnlyInTheEnvironment() {
        Map summary = drift.call(model: 'churn', method: 'auto', correction: 'benjamini_hochberg', driftShare: 0.3, windowRows: 10000,
                webhook: 'https://jenkins.example.com/mlops-webhook/retrain', job: 'churn', secretCredentialsId: 'mlops-webhook-secret',
                cooldownMinutes: 360, maxPerDay: 2, triggerMode: 'trigger', registry: 'azblob://models/registry')

        assertEquals(1, shells.size())
        assertEquals("mlops 'drift' '--model' 'churn@production' '--current' '.mlops/deployments/production/inference' '--method' 'auto' " +
                "'--correction' 'benjamini_hochberg' '--drift-share' '0.3' '--max-rows' '10000' '--report-dir' '.mlops/reports/drift' " +
                "'--no-fail' '--trigger' " +
                "'--webhook' 'https://jenkins.example.com/mlops-webhook/retrain' '--job' 'churn' '--cooldown-minutes' '360' " +
                "'--max-per-day' '2' '--trigger-mode' 'trigger' '--registry' 'azblob://models/registry' '--json'", shells[0].script)
        assertTrue('the HMAC secret is bound while the CLI runs', shells[0].insideCredentials as boolean)
        assertEquals([[credentialsId: 'mlops-webhook-secret', variable: 'MLOPS_WEBHOOK_SECRET']], credentialBindings)
        assertFalse(shells[0].script.contains(SECRET))
        assertEquals(true, summary.drift)
        assertEquals('TRIGGERED', summary.trigger.outcome)
        assertEquals('UNSTABLE', result())
        assertEquals([[artifacts: '.mlops/reports/drift/drift.*', allowEmptyArchive: true, fingerprint: false]], archived)
        assertEquals('mlopsDriftCheck: DRIFT in 4 of 10 features (churn:3 vs 10000 rows of current traffic); ' +
                'retrain TRIGGERED: POST 202', echoes[0])
    }

    @Test
    void noDriftLeavesTheBuildAloneAndWithoutAWebhookTriggersNothing() {
        answer = NO_DRIFT

        Map summary = drift.call(model: 'churn', version: 3, current: 'logs/inference.jsonl')

        assertEquals("mlops 'drift' '--model' 'churn:3' '--current' 'logs/inference.jsonl' '--report-dir' '.mlops/reports/drift' " +
                "'--no-fail' '--json'",
                shells[0].script)
        assertFalse(shells[0].insideCredentials as boolean)
        assertEquals(false, summary.drift)
        assertEquals('SUCCESS', result())
    }

    @Test
    void unstableOnDriftFalseReportsWithoutMarkingTheBuild() {
        drift.call(model: 'churn', unstableOnDrift: false, archive: false)
        assertEquals('SUCCESS', result())
        assertTrue(archived.isEmpty())
    }

    @Test
    void badArgumentsAreAllReportedBeforeAnythingRuns() {
        StepError e = failure {
            drift.call(model: 'churn', method: 't-test', driftShare: 1.5, windowRows: 0, webhook: 'jenkins/retrain', colour: 'red')
        }
        assertTrue(e.message, e.message.startsWith("mlopsDriftCheck: unknown argument 'colour'"))
        assertTrue(e.message, e.message.contains("'method' must be one of auto, psi, ks, wasserstein, jensen_shannon, chi_square; got 't-test'"))
        assertTrue(e.message, e.message.contains("'driftShare' must be a number in (0, 1]"))
        assertTrue(e.message, e.message.contains("'windowRows' must be a whole number >= 1"))
        assertTrue(e.message, e.message.contains("'webhook' must be an http(s) URL"))
        assertTrue(e.message, e.message.contains("'secretCredentialsId' is required with 'webhook'"))
        assertTrue(shells.isEmpty())
    }

    @Test
    void aCliFailureNamesItsExitCode() {
        agent = { String script -> throw stepFailure(3) }
        StepError e = failure { drift.call(model: 'churn') }
        assertEquals('mlopsDriftCheck: the mlops CLI exited with code 3 (not found); its message is in the log just above.', e.message)
    }
}
