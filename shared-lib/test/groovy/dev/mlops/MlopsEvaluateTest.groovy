package dev.mlops

import static dev.mlops.MlopsRegisterTest.failure
import static org.junit.Assert.assertEquals
import static org.junit.Assert.assertFalse
import static org.junit.Assert.assertNull
import static org.junit.Assert.assertTrue

import org.junit.Before
import org.junit.Test

class MlopsEvaluateTest extends PipelineTestSupport {

    Script evaluate
    List<Map> archived = []
    List<Map> published = []

    static String summaryJson(String outcome, String reason, boolean firstModel = false) {
        """{"schema":"mlops.evaluation-summary/v1","outcome":"${outcome}","reason":"${reason}","firstModel":${firstModel},
"candidate":"run 20260105-142233-a1b2c3",${firstModel ? '' : '"baseline":"churn:3 (@production)",'}"rows":500,
"candidateMetrics":{"accuracy":0.91,"log_loss":0.25},${firstModel ? '' : '"baselineMetrics":{"accuracy":0.89,"log_loss":0.27},'}
"report":"/ws/.mlops/reports/evaluation/evaluation.html","reportJson":"/ws/.mlops/reports/evaluation/evaluation.json"}"""
    }

    static final String PASS = summaryJson('PASS', 'PASS: all 1 gated metric passed (accuracy +0.0200)')
    static final String FAIL = summaryJson('FAIL', 'FAIL: accuracy 0.5600 vs baseline 0.9620 (change -0.4020)')
    static final String INCONCLUSIVE = summaryJson('INCONCLUSIVE', 'INCONCLUSIVE: INCONCLUSIVE accuracy: CI does not exclude 0')
    static final String ERROR = summaryJson('ERROR', 'ERROR: ERROR roc_auc undefined on the holdout')

    @Before
    void loadVars() {
        binding.setVariable('mlopsCli', loadScript('mlopsCli.groovy'))
        evaluate = loadScript('mlopsEvaluate.groovy')
        env.MLOPS_CLI = 'mlops'
        agent = { String script -> PASS }
        helper.registerAllowedMethod('archiveArtifacts', [Map], { Map args -> archived << args })
    }

    Map evaluateCall(Map more = [:]) {
        return evaluate.call([model: 'churn', candidate: 'run:20260105-142233-a1b2c3', holdout: 'data/holdout.csv'] + more)
    }

    String result() {
        return binding.getVariable('currentBuild').result
    }

    @Test
    void passRunsTheCliWithNoFailArchivesTheReportAndReturnsTheSummary() {
        Map summary = evaluateCall(baseline: 'churn:3', label: 'churned', slices: ['region', 'plan'], gate: 'gate.json',
                runsDir: '/var/runs', registry: 'azblob://models/registry')

        assertEquals(1, shells.size())
        assertEquals("mlops 'evaluate' '--candidate' 'run:20260105-142233-a1b2c3' '--holdout' 'data/holdout.csv' " +
                "'--model' 'churn' '--baseline' 'churn:3' '--label' 'churned' '--gate' 'gate.json' " +
                "'--slice' 'region' '--slice' 'plan' '--report-dir' '.mlops/reports/evaluation' '--runs-dir' '/var/runs' " +
                "'--no-fail' '--registry' 'azblob://models/registry' '--json'", shells[0].script)
        assertEquals('mlops evaluate', shells[0].label)
        assertEquals([[artifacts: '.mlops/reports/evaluation/evaluation.*', allowEmptyArchive: false, fingerprint: false]], archived)

        assertEquals('mlops.evaluation-summary/v1', summary.schema)
        assertEquals('PASS', summary.outcome)
        assertEquals(0.91, summary.candidateMetrics.accuracy, 1e-9)
        assertEquals('/ws/.mlops/reports/evaluation/evaluation.html', summary.report)
        assertEquals('SUCCESS', result())
        assertEquals('mlopsEvaluate: PASS: all 1 gated metric passed (accuracy +0.0200) ' +
                '(candidate run 20260105-142233-a1b2c3 against churn:3 (@production))', echoes[0])
        assertEquals('mlopsEvaluate: report .mlops/reports/evaluation/evaluation.html (archived with this build)', echoes[1])
    }

    @Test
    void inconclusiveMakesTheBuildUnstableAndSaysAPersonMustDecide() {
        agent = { String script -> INCONCLUSIVE }

        Map summary = evaluateCall()

        assertEquals('INCONCLUSIVE', summary.outcome)
        assertEquals('UNSTABLE', result())
        assertEquals(1, archived.size())
        assertTrue(echoes.join('\n'), echoes.any { it.contains('the build is UNSTABLE and a person must decide') })
    }

    @Test
    void inconclusiveFailsWithFailOnInconclusive() {
        agent = { String script -> INCONCLUSIVE }

        StepError e = failure { evaluateCall(failOnInconclusive: true) }

        assertTrue(e.message, e.message.startsWith('mlopsEvaluate: INCONCLUSIVE: INCONCLUSIVE accuracy'))
        assertTrue(e.message, e.message.endsWith('(failOnInconclusive: true); report: .mlops/reports/evaluation/evaluation.html'))
        assertEquals('the report is archived before the build fails', 1, archived.size())
    }

    @Test
    void failCallsErrorWithTheReasonAfterArchivingTheReport() {
        agent = { String script -> FAIL }

        StepError e = failure { evaluateCall() }

        assertEquals('mlopsEvaluate: FAIL: accuracy 0.5600 vs baseline 0.9620 (change -0.4020); ' +
                'report: .mlops/reports/evaluation/evaluation.html', e.message)
        assertEquals(1, archived.size())
        assertEquals('the CLI itself never fails the step: --no-fail', 1, shells.size())
    }

    @Test
    void errorOutcomeFailsTheBuildToo() {
        agent = { String script -> ERROR }

        StepError e = failure { evaluateCall() }

        assertTrue(e.message, e.message.startsWith('mlopsEvaluate: ERROR: ERROR roc_auc undefined'))
    }

    @Test
    void failOnFailFalseReturnsTheSummaryForThePipelineToDecide() {
        agent = { String script -> FAIL }

        Map summary = evaluateCall(failOnFail: false)

        assertEquals('FAIL', summary.outcome)
        assertTrue(echoes.join('\n'), echoes.any { it.contains('FAIL with failOnFail: false: the build goes on') })
    }

    @Test
    void aFirstModelHasNoBaseline() {
        agent = { String script -> summaryJson('PASS', 'PASS: first model: no baseline, passed by policy', true) }

        Map summary = evaluateCall()

        assertEquals(true, summary.firstModel)
        assertNull(summary.baseline)
        assertTrue(echoes[0], echoes[0].endsWith('(candidate run 20260105-142233-a1b2c3 against no baseline: first model)'))
    }

    @Test
    void reportDirDecidesWhatIsArchivedAndArchiveFalseSkipsIt() {
        evaluateCall(reportDir: 'reports/eval/')

        assertTrue(shells[0].script, shells[0].script.contains("'--report-dir' 'reports/eval'"))
        assertEquals('reports/eval/evaluation.*', archived[0].artifacts)

        evaluateCall(archive: false)
        assertEquals(1, archived.size())
    }

    @Test
    void publishUsesHtmlPublisherWhenInstalled() {
        helper.registerAllowedMethod('publishHTML', [Map], { Map args -> published << args })

        evaluateCall(publish: true)

        assertEquals([[reportDir: '.mlops/reports/evaluation', reportFiles: 'evaluation.html', reportName: 'Model evaluation',
                       keepAll: true, alwaysLinkToLastBuild: false, allowMissing: false]], published)
    }

    @Test
    void publishWithoutHtmlPublisherOnlyNotesItAndGoesOn() {
        Map summary = evaluateCall(publish: true)

        assertEquals('PASS', summary.outcome)
        assertTrue(echoes.join('\n'), echoes.any { it.contains('needs the HTML Publisher plugin (publishHTML)') })
    }

    @Test
    void credentialsIdBindsTheStorageSecretForTheCliOnly() {
        evaluateCall(registry: 'azblob://models/registry', credentialsId: 'azure-models')

        assertEquals([[credentialsId: 'azure-models', variable: 'AZURE_STORAGE_CONNECTION_STRING']], credentialBindings)
        assertTrue(shells[0].insideCredentials as boolean)
        assertFalse(shells[0].script.contains(SECRET))
    }

    @Test
    void reportsEveryProblemAtOnceBeforeRunningAnything() {
        StepError e = failure { evaluate.call(candidate: '', reportDir: '/tmp/reports', slices: [''], gates: 'g.json') }

        assertTrue(e.message, e.message.contains("unknown argument 'gates'"))
        assertTrue(e.message, e.message.contains("'candidate' is required"))
        assertTrue(e.message, e.message.contains("'holdout' is required, e.g. holdout: 'data/holdout.csv'"))
        assertTrue(e.message, e.message.contains("'model' is required unless 'baseline' is given"))
        assertTrue(e.message, e.message.contains("'reportDir' must be a folder inside the workspace"))
        assertTrue(e.message, e.message.contains("'slices' entries must be column names"))
        assertTrue('nothing ran', shells.isEmpty())
        assertTrue(archived.isEmpty())
    }

    @Test
    void aBaselineMakesTheModelOptionalAndParentFoldersAreRefused() {
        evaluate.call(candidate: 'models/new', baseline: 'models/prod', holdout: 'h.csv')
        assertTrue(shells[0].script, shells[0].script.contains("'--baseline' 'models/prod'"))

        StepError e = failure { evaluate.call(candidate: 'models/new', baseline: 'none', holdout: 'h.csv', reportDir: '../out') }
        assertTrue(e.message, e.message.contains("'reportDir' must be a folder inside the workspace"))
    }

    @Test
    void cliFailureNamesTheExitCode() {
        agent = { String script -> throw stepFailure(3) }

        StepError e = failure { evaluateCall() }

        assertEquals('mlopsEvaluate: the mlops CLI exited with code 3 (not found); its message is in the log just above.', e.message)
        assertTrue(archived.isEmpty())
    }
}
