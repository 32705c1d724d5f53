package dev.mlops

import static org.junit.Assert.assertEquals
import static org.junit.Assert.assertFalse
import static org.junit.Assert.assertTrue
import static org.junit.Assert.fail

import org.junit.Before
import org.junit.Rule
import org.junit.Test
import org.junit.rules.TemporaryFolder

class MlopsCliTest extends PipelineTestSupport {

    static final String SHA = '3f' * 32
    static final String URL = 'https://nexus.example.com/repository/releases/dev/mlops/mlops/<version>/mlops-<version>.jar'

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder()

    Script cli

    @Before
    void loadCli() {
        cli = loadScript('mlopsCli.groovy')
    }

    @Test
    void usesMlopsCliFromThePipelineEnvironmentAsIs() {
        env.MLOPS_CLI = '/opt/mlops/bin/mlops'

        assertEquals('/opt/mlops/bin/mlops', cli.call())
        assertTrue('no agent call needed', shells.isEmpty())
        assertEquals(0L, helper.methodCallCount('fileExists'))
    }

    @Test
    void usesMlopsCliFromTheAgentEnvironment() {
        agentEnv.MLOPS_CLI = 'java -jar /opt/mlops/mlops.jar'

        assertEquals('java -jar /opt/mlops/mlops.jar', cli.call())
        assertEquals(1, shells.size())
        assertEquals('mlops: locate CLI', shells[0].label)
        assertEquals(0L, helper.methodCallCount('fileExists'))
    }

    @Test
    void usesTheCachedJarWithoutFetching() {
        env.MLOPS_CLI_URL = URL
        files << JAR

        assertEquals("java -jar '${JAR}'".toString(), cli.call())
        assertTrue(commands().isEmpty())
        assertTrue(written.isEmpty())
        assertEquals(0L, helper.methodCallCount('libraryResource'))
    }

    @Test
    void cacheFolderAndVersionComeFromMlopsHomeAndMlopsCliVersion() {
        agentEnv.MLOPS_HOME = '/srv/mlops cache'
        env.MLOPS_CLI_VERSION = '0.2.0'
        files << '/srv/mlops cache/cli/0.2.0/mlops-0.2.0.jar'

        assertEquals("java -jar '/srv/mlops cache/cli/0.2.0/mlops-0.2.0.jar'".toString(), cli.call())
    }

    @Test
    void rejectsAVersionThatIsNotOne() {
        env.MLOPS_CLI_VERSION = '../../etc'

        try {
            cli.call()
            fail('expected error')
        } catch (StepError e) {
            assertEquals("mlopsCli: MLOPS_CLI_VERSION must be a version such as 0.1.0; got '../../etc'", e.message)
        }
        assertEquals(0L, helper.methodCallCount('fileExists'))
    }

    @Test
    void fetchesTheJarWithFetchJavaVerifyingTheSha() {
        env.MLOPS_CLI_URL = URL
        env.MLOPS_CLI_SHA256 = SHA

        String command = cli.call()

        assertEquals("java -jar '${JAR}'".toString(), command)
        String fetch = "${HOME_CACHE}/cli/0.1.0/Fetch.java"
        assertEquals(new File('resources/dev/mlops/Fetch.java').getText('UTF-8'), written[fetch])
        assertEquals(1, commands().size())
        Map call = commands()[0]
        assertEquals(("'java' '${fetch}' " +
                "'https://nexus.example.com/repository/releases/dev/mlops/mlops/0.1.0/mlops-0.1.0.jar' " +
                "'${JAR}' '${SHA}'").toString(), call.script)
        assertFalse('fetch output goes to the log', call.returnStdout as boolean)
    }

    @Test
    void fetchWithoutShaPassesNoShaArgument() {
        env.MLOPS_CLI_URL = 'https://ci.example.com/job/mlops/lastSuccessfulBuild/artifact/cli/target/mlops-0.1.0.jar'

        cli.call()

        assertTrue(commands()[0].script.endsWith("'${JAR}'"))
    }

    @Test
    void nothingConfiguredFailsNamingMlopsCliAndMlopsCliUrl() {
        try {
            cli.call()
            fail('expected error')
        } catch (StepError e) {
            assertTrue(e.message, e.message.startsWith('mlopsCli: '))
            assertTrue(e.message, e.message.contains('Set MLOPS_CLI '))
            assertTrue(e.message, e.message.contains('MLOPS_CLI_URL'))
            assertTrue(e.message, e.message.contains(JAR))
        }
        assertTrue(written.isEmpty())
    }

    @Test
    void shaMismatchDuringFetchFailsTheStep() {
        env.MLOPS_CLI_URL = URL
        env.MLOPS_CLI_SHA256 = SHA
        agent = { String script -> throw stepFailure(3) }

        try {
            cli.call()
            fail('expected error')
        } catch (StepError e) {
            assertTrue(e.message, e.message.contains('SHA-256 differs from MLOPS_CLI_SHA256'))
        }
    }

    @Test
    void windowsAgentsUseBatAndCmdQuoting() {
        unix = false
        agentEnv.MLOPS_HOME = 'C:\\Users\\jenkins\\.mlops'
        env.MLOPS_CLI_URL = URL

        String command = cli.call()

        String jar = 'C:\\Users\\jenkins\\.mlops/cli/0.1.0/mlops-0.1.0.jar'
        assertEquals("java -jar \"${jar}\"".toString(), command)
        assertTrue(shells.every { it.kind == 'bat' })
        assertTrue(commands()[0].script.startsWith('@echo off\n"java" '))
    }

    @Test
    void quotesSingleQuotesAndSpacesForPosixShell() {
        assertEquals("'it'\"'\"'s a model'", cli.quote("it's a model"))
        assertEquals("'a'\"'\"'b; rm -rf /'", cli.quote("a'b; rm -rf /"))
    }

    @Test
    void quotedValuesReachTheCommandUnchangedThroughARealShell() {
        File marker = new File(tmp.root, 'pwned')
        List values = ["a'b; rm -rf /", 'two  spaces', '$(touch ' + marker + ')', '`touch ' + marker + '`',
                       '$HOME', 'back\\slash', 'line\nbreak', '', '"double"', '*', 'ünïcödé']

        List words = shellWords("printf '%s\\000' ${cli.join(values)}")

        assertEquals(values, words)
        assertFalse('command substitution must not run', marker.exists())
    }

    @Test
    void quotesForWindowsCmd() {
        assertEquals('"C:\\Program Files\\mlops"', cli.quote('C:\\Program Files\\mlops', false))
        assertEquals('"C:\\models\\\\"', cli.quote('C:\\models\\', false))
        assertEquals('"100%% & more"', cli.quote('100% & more', false))
        try {
            cli.quote('say "hi"', false)
            fail('expected error')
        } catch (StepError e) {
            assertTrue(e.message, e.message.contains('Windows'))
        }
    }

    @Test
    void defaultVersionFollowsTheMavenRelease() {
        String projectVersion = System.getProperty('mlops.projectVersion')
        org.junit.Assume.assumeNotNull(projectVersion)
        assertEquals('bump DEFAULT_VERSION in vars/mlopsCli.groovy with the release',
                projectVersion - '-SNAPSHOT', cli.DEFAULT_VERSION)
    }
}
