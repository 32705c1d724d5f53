package dev.mlops

import static dev.mlops.MlopsRegisterTest.failure
import static org.junit.Assert.assertEquals
import static org.junit.Assert.assertTrue

import org.junit.Before
import org.junit.Test

class MlopsApproveTest extends PipelineTestSupport {
    Script approve
    List<Map> inputs = []
    List<Map> timeouts = []
    String submitterAnswer = 'alice'

    @Before
    void loadVars() {
        binding.setVariable('mlopsCli', loadScript('mlopsCli.groovy'))
        approve = loadScript('mlopsApprove.groovy')
        helper.registerAllowedMethod('timeout', [Map, Closure], { Map limit, Closure body -> timeouts << limit; body() })
        helper.registerAllowedMethod('input', [Map], { Map step ->
            inputs << step
            // Jenkins' input refuses anyone outside `submitter`; emulate that rule to test the wiring
            List allowed = step.submitter.toString().split(',') as List
            if (!allowed.contains(submitterAnswer)) {
                throw new StepError("You need to be ${step.submitter} to submit this".toString())
            }
            return submitterAnswer
        })
    }

    @Test
    void asksOnlyTheListedApproversInsideATimeoutAndReturnsWhoApproved() {
        Map decision = approve.call(approvers: ['alice', 'ml-leads'], evidence: ['reports/evaluation.html'], timeoutMinutes: 30)

        assertEquals('alice', decision.approver)
        assertEquals([[time: 30, unit: 'MINUTES']], timeouts)
        assertEquals('alice,ml-leads', inputs[0].submitter)
        assertEquals('approver', inputs[0].submitterParameter)
        assertTrue(echoes[0], echoes[0].contains('reports/evaluation.html'))
        assertEquals('mlopsApprove: approved by alice', echoes[1])
    }

    @Test
    void anUnlistedUserCannotApprove() {
        submitterAnswer = 'mallory'
        StepError e = failure { approve.call(approvers: 'alice, bob') }
        assertTrue(e.message, e.message.contains('alice,bob'))
    }

    @Test
    void emptyApproversAreRefusedBeforeAnythingWaits() {
        StepError e = failure { approve.call(approvers: []) }
        assertTrue(e.message, e.message.startsWith("mlopsApprove: 'approvers' is empty"))
        assertTrue(inputs.isEmpty())
        StepError missing = failure { approve.call(message: 'ship it?') }
        assertTrue(missing.message, missing.message.contains("'approvers' is required"))
    }

    @Test
    void timeoutMustBeAWholeNumber() {
        StepError e = failure { approve.call(approvers: ['alice'], timeoutMinutes: 'soon') }
        assertTrue(e.message, e.message.contains("'timeoutMinutes' must be a whole number"))
    }
}
