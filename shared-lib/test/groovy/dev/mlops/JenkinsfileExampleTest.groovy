package dev.mlops

import static com.lesfurets.jenkins.unit.global.lib.LibraryConfiguration.library
import static org.junit.Assert.assertEquals
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

    List<String> nodes = []
    List<String> stages = []
    List<String> userScripts = []
    boolean smokeTestFails = false

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
        helper.registerAllowedMethod('sh', [String], { String script ->
            userScripts << script
            if (smokeTestFails && script.contains('smoke_test.py')) {
                throw stepFailure(1)
            }
        })
        files << JAR // the agent already has the CLI cached
        fileContents['out/metrics.json'] = '{"auc": 0.91, "f1": 0.84}'
        agent = { String script ->
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

    @Test
    void runsCheckoutTrainRegisterSmokeTestAndRegistersWithTheStagingAlias() {
        runScript('Jenkinsfile.example')

        assertEquals(['linux'], nodes)
        assertEquals(['Checkout', 'Train', 'Register', 'Smoke test'], stages)
        assertEquals(1L, helper.methodCallCount('checkout'))
        assertTrue(userScripts[0], userScripts[0].startsWith('python3 train.py '))

        Map register = onlyCall('mlopsRegister').args[0] as Map
        assertEquals('churn', register.model)
        assertEquals('staging', register.alias)
        assertEquals('out/model', register.path)
        assertEquals(['data/train.csv'], register.datasets)

        List<Map> cli = commands()
        assertEquals(2, cli.size())
        assertEquals("java -jar '${JAR}' 'alias' 'get' 'churn' 'staging' '--registry' 'azblob://models/registry' '--json'".toString(),
                cli[0].script)
        assertEquals(("java -jar '${JAR}' 'register' '--model' 'churn' '--path' 'out/model' " +
                "'--metric' 'auc=0.91' '--metric' 'f1=0.84' '--dataset' 'data/train.csv' '--alias' 'staging' " +
                "'--registry' 'azblob://models/registry' '--json'").toString(), cli[1].script)
        assertTrue('registry calls run with the storage credential bound', cli.every { it.insideCredentials })
        assertTrue(credentialBindings.every { it.credentialsId == 'mlops-azure-storage' })
        assertEquals(0L, helper.methodCallCount('mlopsAlias'))
        assertTrue(echoes.contains('Registered churn:3 (aliases: staging)'))
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

        assertEquals(['Checkout', 'Train', 'Register', 'Smoke test'], stages)
        Map rollback = onlyCall('mlopsAlias').args[0] as Map
        assertEquals([model: 'churn', alias: 'staging', version: 2, expect: 3, reason: 'smoke test failed for churn:3',
                      registry: 'azblob://models/registry', credentialsId: 'mlops-azure-storage'], rollback)
        assertEquals(("java -jar '${JAR}' 'alias' 'set' 'churn' 'staging' '2' '--expect' '3' " +
                "'--reason' 'smoke test failed for churn:3' '--registry' 'azblob://models/registry' '--json'").toString(),
                commands().last().script)
        assertTrue(echoes.contains('Moved churn@staging: 3 -> 2'))
    }

    MethodCall onlyCall(String name) {
        List<MethodCall> calls = helper.callStack.findAll { it.methodName == name }
        assertEquals("calls to ${name}".toString(), 1, calls.size())
        return calls[0]
    }
}
