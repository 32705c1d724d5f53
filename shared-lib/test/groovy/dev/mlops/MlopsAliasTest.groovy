package dev.mlops

import static dev.mlops.MlopsRegisterTest.failure
import static org.junit.Assert.assertEquals
import static org.junit.Assert.assertNull
import static org.junit.Assert.assertTrue

import org.junit.Before
import org.junit.Test

class MlopsAliasTest extends PipelineTestSupport {

    // what the CLI prints for `alias set --json` and `alias get --json`
    static final String CHANGE_JSON = '{"schema":"mlops.alias-change/v1","model":"churn","alias":"staging","from":2,"to":3,' +
            '"at":"2026-01-05T10:00:00Z","by":"jenkins","reason":"smoke test passed"}'
    static final String POINTER_JSON = '{"schema":"mlops.alias/v1","model":"churn","alias":"staging","version":3,' +
            '"setAt":"2026-01-05T10:00:00Z","setBy":"jenkins","reason":null}'

    Script alias

    @Before
    void loadVars() {
        binding.setVariable('mlopsCli', loadScript('mlopsCli.groovy'))
        alias = loadScript('mlopsAlias.groovy')
        env.MLOPS_CLI = 'mlops'
        agent = { String script -> script.contains("'get'") ? POINTER_JSON : CHANGE_JSON }
    }

    @Test
    void movesTheAliasWithExpectAndReason() {
        Map result = alias.call(model: 'churn', alias: 'staging', version: 3, expect: 2, reason: "smoke test passed",
                registry: 'azblob://models/registry', credentialsId: 'azure-models')

        assertEquals("mlops 'alias' 'set' 'churn' 'staging' '3' '--expect' '2' '--reason' 'smoke test passed' " +
                "'--registry' 'azblob://models/registry' '--json'", shells[0].script)
        assertTrue(shells[0].insideCredentials as boolean)
        assertEquals(2, result.from)
        assertEquals(3, result.to)
        assertEquals(['Moved churn@staging: 2 -> 3'], echoes)
    }

    @Test
    void missingVersionFailsNamingVersion() {
        StepError e = failure { alias.call(model: 'churn', alias: 'staging') }

        assertEquals("mlopsAlias: 'version' is required, e.g. version: 3", e.message)
        assertTrue(shells.isEmpty())
    }

    @Test
    void versionMustBeANumber() {
        StepError e = failure { alias.call(model: 'churn', alias: 'staging', version: 'latest', expect: 'x') }

        assertTrue(e.message, e.message.contains("'version' must be a version number, e.g. version: 3; got 'latest'"))
        assertTrue(e.message, e.message.contains("'expect' must be the version the alias points at now, or 'none'"))
    }

    @Test
    void expectNoneRequiresTheAliasToBeUnset() {
        agent = { String script -> CHANGE_JSON.replace('"from":2', '"from":null') }

        alias.call(model: 'churn', alias: 'production', version: 1, expect: 'none')

        assertEquals("mlops 'alias' 'set' 'churn' 'production' '1' '--expect' 'none' '--json'", shells[0].script)
        assertEquals(['Moved churn@production: (none) -> 3'], echoes)
    }

    @Test
    void positionalValuesMayNotLookLikeOptions() {
        StepError e = failure { alias.call(model: '--registry=/tmp/evil', alias: 'staging', version: 3) }

        assertTrue(e.message, e.message.contains("'model' must not start with '-'"))
    }

    @Test
    void conflictNamesTheExitCodeMeaning() {
        agent = { String script -> throw stepFailure(4) }

        StepError e = failure { alias.call(model: 'churn', alias: 'staging', version: 3, expect: 2) }

        assertTrue(e.message, e.message.startsWith('mlopsAlias: the mlops CLI exited with code 4 (conflict)'))
    }

    @Test
    void getReturnsTheAlias() {
        Map result = alias.get(model: 'churn', alias: 'staging')

        assertEquals("mlops 'alias' 'get' 'churn' 'staging' '--json'", shells[0].script)
        assertEquals(3, result.version)
    }

    @Test
    void getReturnsNullWhenTheAliasIsNotSet() {
        agent = { String script -> throw stepFailure(3) }

        assertNull(alias.get(model: 'churn', alias: 'production'))
    }

    @Test
    void otherStepFailuresPropagateUnchanged() {
        IllegalStateException boom = new IllegalStateException('agent went offline')
        agent = { String script -> throw boom }

        try {
            alias.get(model: 'churn', alias: 'staging')
        } catch (IllegalStateException e) {
            assertTrue(e.is(boom))
            return
        }
        org.junit.Assert.fail('expected the original exception')
    }
}
