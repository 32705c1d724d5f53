package dev.mlops

import static dev.mlops.MlopsRegisterTest.failure
import static org.junit.Assert.assertEquals
import static org.junit.Assert.assertTrue

import org.junit.Before
import org.junit.Test

class MlopsMaturityTest extends PipelineTestSupport {

    static final String SUMMARY = '{"schema":"mlops.maturity/v1","level":2,"dimensions":[' +
            '{"name":"model creation","level":3,"evidence":["mlops.yaml train:"]},' +
            '{"name":"model release","level":2,"evidence":["registry: 3 versions"]}],' +
            '"next":{"from":2,"to":3,"step":"add gate: to mlops.yaml; see docs/levels/level3.md"},' +
            '"report":"/ws/.mlops/reports/maturity/maturity.html"}'

    Script maturity
    List<Map> archived = []

    @Before
    void loadVars() {
        binding.setVariable('mlopsCli', loadScript('mlopsCli.groovy'))
        maturity = loadScript('mlopsMaturity.groovy')
        env.MLOPS_CLI = 'mlops'
        agent = { String script -> SUMMARY }
        helper.registerAllowedMethod('archiveArtifacts', [Map], { Map args -> archived << args })
    }

    @Test
    void assessesTheWorkspaceArchivesTheReportAndReturnsTheSummary() {
        Map summary = maturity.call(registry: 'azblob://models/registry', credentialsId: 'mlops-azure-storage')

        assertEquals("mlops 'maturity' '.' '--report-dir' '.mlops/reports/maturity' '--registry' 'azblob://models/registry' '--json'",
                shells[0].script)
        assertTrue(shells[0].insideCredentials as boolean)
        assertEquals([[artifacts: '.mlops/reports/maturity/maturity.*', allowEmptyArchive: false, fingerprint: false]], archived)
        assertEquals('mlops.maturity/v1', summary.schema)
        assertEquals(2, summary.level)
        assertEquals(['mlopsMaturity: Level 2 (model creation 3, model release 2)',
                      'mlopsMaturity: next step: add gate: to mlops.yaml; see docs/levels/level3.md',
                      'mlopsMaturity: report .mlops/reports/maturity/maturity.html (archived with this build)'], echoes)
    }

    @Test
    void pathAndReportDirAreHandedOn() {
        maturity.call(path: 'models/churn', reportDir: 'reports/maturity', archive: false)
        assertEquals("mlops 'maturity' 'models/churn' '--report-dir' 'reports/maturity' '--json'", shells[0].script)
        assertTrue(archived.isEmpty())
    }

    @Test
    void unknownArgumentsFailBeforeAnythingRuns() {
        StepError e = failure { maturity.call(level: 4, path: '--all') }
        assertTrue(e.message, e.message.startsWith("mlopsMaturity: unknown argument 'level'"))
        assertTrue(e.message, e.message.contains("'path' must not start with '-'"))
        assertTrue(shells.isEmpty())
    }
}
