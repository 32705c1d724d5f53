package dev.mlops

import static com.lesfurets.jenkins.unit.global.lib.LibraryConfiguration.library
import static org.junit.Assert.assertEquals
import static org.junit.Assert.assertFalse
import static org.junit.Assert.assertNull
import static org.junit.Assert.assertTrue
import static org.junit.Assert.fail

import com.lesfurets.jenkins.unit.global.lib.SourceRetriever
import groovy.json.JsonOutput
import groovy.json.JsonSlurper
import java.util.zip.ZipFile
import org.junit.Assume
import org.junit.Before
import org.junit.Rule
import org.junit.Test
import org.junit.rules.TemporaryFolder
import org.yaml.snakeyaml.Yaml

/**
 * Loads examples/level{2,3,4}/Jenkinsfile through its @Library line and runs it on that folder's mlops.yaml.
 * The library holds mlopsPipeline, mlopsCli and mlopsApprove (real: input is asked with the listed submitters);
 * the other steps are mocked and record the agent they ran on.
 */
class ExamplesTest extends PipelineTestSupport {

    static final List REAL_VARS = ['mlopsPipeline', 'mlopsCli', 'mlopsApprove']
    static final String RUN_ID = '20260105-142233-a1b2c3'

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder()

    /** The example folder standing in for the workspace. */
    String example
    /** Agent labels, outermost first; 'any' for node { }. */
    List<String> agentStack = []
    List<String> nodes = []
    List<String> stages = []
    /** [stage, agent or null] per stage. */
    List<List> stageAgents = []
    Map<String, List<Map>> steps = [:].withDefault { [] }
    List<Map> inputs = []
    List<Map> jobProperties = []
    int validationExitCode = 0
    String evaluation = 'PASS'
    Closure canary = { Map args -> [outcome: 'PASS'] }
    List<String> causes = []

    /** A library folder holding only REAL_VARS, so the mocks of the other steps are not replaced by the real vars. */
    class LibrarySubset implements SourceRetriever {
        @Override
        List<URL> retrieve(String repository, String branch, String targetPath) {
            File root = new File(tmp.root, 'library')
            if (!root.exists()) {
                new File(root, 'vars').mkdirs()
                REAL_VARS.each { new File(root, "vars/${it}.groovy").text = new File("vars/${it}.groovy").text }
            }
            return [root.toURI().toURL()]
        }
    }

    @Override
    String[] roots() {
        return ['..'] as String[]
    }

    @Before
    void mockSteps() {
        helper.registerSharedLibrary(library().name('mlops').defaultVersion('main').allowOverride(true)
                .implicit(false).targetPath('unused').retriever(new LibrarySubset()).build())
        env.MLOPS_CLI = 'mlops'
        env.BUILD_URL = 'https://ci.example.com/job/churn/7/'
        binding.setVariable('params', [:])
        helper.registerAllowedMethod('node', [String, Closure], { String label, Closure body -> onNode(label, body) })
        helper.registerAllowedMethod('node', [Closure], { Closure body -> onNode('any', body) })
        helper.registerAllowedMethod('stage', [String, Closure], { String name, Closure body ->
            stages << name
            stageAgents << [name, agentStack ? agentStack.last() : null]
            body()
        })
        helper.registerAllowedMethod('readYaml', [Map], { Map args -> new Yaml().load(new File("../${example}/${args.file}").text) })
        helper.registerAllowedMethod('timeout', [Map, Closure], { Map limit, Closure body -> body() })
        helper.registerAllowedMethod('input', [Map], { Map step ->
            inputs << (step + [agent: agentStack ? agentStack.last() : null])
            return 'alice'
        })
        helper.registerAllowedMethod('properties', [List], { List props -> jobProperties.addAll(props) })
        helper.registerAllowedMethod('parameters', [List], { List list -> [parameters: list] })
        helper.registerAllowedMethod('pipelineTriggers', [List], { List list -> [pipelineTriggers: list] })
        helper.registerAllowedMethod('cron', [String], { String spec -> [cron: spec] })
        helper.registerAllowedMethod('choice', [Map], { Map p -> p })
        ['mlopsTrain', 'mlopsEvaluate', 'mlopsRegister', 'mlopsAlias', 'mlopsDeploy', 'mlopsDriftCheck', 'mlopsMaturity'].each { name ->
            helper.registerAllowedMethod(name, [Map], { Map args -> answer(name, args) })
        }
        Map currentBuild = binding.getVariable('currentBuild') as Map
        currentBuild.getBuildCauses = { String type -> causes.findAll { it == type } }
    }

    Object onNode(String label, Closure body) {
        nodes << label
        agentStack << label
        try {
            return body()
        } finally {
            agentStack.remove(agentStack.size() - 1)
        }
    }

    Object answer(String name, Map args) {
        steps[name] << (args + [agent: agentStack ? agentStack.last() : null])
        switch (name) {
            case 'mlopsTrain': return [id: RUN_ID, status: 'SUCCEEDED', outputDir: "/ws/.mlops/runs/${RUN_ID}/output".toString()]
            case 'mlopsEvaluate': return [outcome: evaluation, reason: "${evaluation}: accuracy +0.0200".toString(),
                                          report: '/ws/.mlops/reports/evaluation/evaluation.html']
            case 'mlopsRegister': return [model: 'churn', version: 3, ref: 'churn:3', aliases: args.alias ? [args.alias] : []]
            case 'mlopsAlias': return [model: 'churn', alias: args.alias, from: 2, to: args.version]
            case 'mlopsDeploy': return args.action == 'canary' ? canary(args) : [action: args.action, outcome: 'PASS']
            case 'mlopsDriftCheck': return [drift: true, driftedFeatures: 4, features: 10, trigger: [outcome: 'TRIGGERED']]
            default: return [level: 4]
        }
    }

    @Override
    Object runShell(String kind, Map step) {
        shells << [kind: kind, script: step.script.toString(), label: step.label?.toString()]
        return step.returnStatus ? validationExitCode : ''
    }

    Map run(int level) {
        example = "examples/level${level}"
        return runScript("${example}/Jenkinsfile") as Map
    }

    Map only(String name) {
        assertEquals("calls to ${name}: ${steps[name]}".toString(), 1, steps[name].size())
        return steps[name][0]
    }

    String result() {
        return (binding.getVariable('currentBuild') as Map).result
    }

    /** YAML numbers are Doubles, Groovy literals BigDecimals: compare both as parsed JSON. */
    static void assertSame(expected, actual) {
        assertEquals(asJson(expected), asJson(actual))
    }

    static Object asJson(value) {
        return new JsonSlurper().parseText(JsonOutput.toJson(value))
    }

    static final Map REGISTRY = [registry: 'azblob://models/registry', credentialsId: 'mlops-azure-storage']

    @Test
    void level2TrainsOnTheGpuAgentAndRegistersWithLineage() {
        run(2)

        assertEquals(['Checkout', 'Validate config', 'Checkout', 'Train', 'Register'], stages)
        assertEquals([['Checkout', 'any'], ['Validate config', 'any'], ['Checkout', 'gpu'], ['Train', 'gpu'], ['Register', 'gpu']],
                stageAgents)
        assertEquals("mkdir -p .mlops && mlops 'config' 'validate' 'mlops.yaml' '--json' > .mlops/config-validation.json",
                shells[0].script)
        Map train = only('mlopsTrain')
        assertSame([data: ['data/train.csv'], requireGpu: true, trainer: 'command', command: 'python3 train.py',
                      params: [epochs: 20, learning_rate: 0.001], label: 'churned', seed: 42, agent: 'gpu'], train)
        Map register = only('mlopsRegister')
        assertEquals(REGISTRY + [model: 'churn', fromRun: RUN_ID, reason: 'build https://ci.example.com/job/churn/7/', agent: 'gpu'],
                register)
        assertTrue('Level 2 evaluates and deploys nothing', steps.mlopsEvaluate.isEmpty() && steps.mlopsDeploy.isEmpty())
        assertTrue('only Level 4 sets job properties', jobProperties.isEmpty())
        assertEquals('SUCCESS', result())
    }

    @Test
    void level3EvaluatesAgainstProductionDeploysStagingAndPromotesAfterTheListedApprovers() {
        Map built = run(3)

        assertEquals(['Checkout', 'Validate config', 'Checkout', 'Train', 'Evaluate', 'Register', 'Deploy staging', 'Smoke test',
                      'Approve', 'Promote'], stages)
        assertEquals(['any', 'gpu', 'any', 'any'], nodes)
        assertEquals('approval holds no executor', ['Approve', null], stageAgents.find { it[0] == 'Approve' })

        Map evaluate = only('mlopsEvaluate')
        assertEquals(REGISTRY + [holdout: 'data/holdout.csv', label: 'churned', slices: ['region'], model: 'churn',
                                 candidate: "run:${RUN_ID}".toString(), gate: '.mlops/gate.json', agent: 'gpu'], evaluate)
        assertSame(new Yaml().load(new File('../examples/level3/mlops.yaml').text).gate,
                new JsonSlurper().parseText(written['.mlops/gate.json']))
        assertEquals('staging', only('mlopsRegister').alias)

        assertEquals([['staging', 'any', 'local', 8090], ['smoke', 'any', null, null], ['promote', 'any', 'local', null]],
                steps.mlopsDeploy.collect { [it.action, it.agent, it.target, it.port] })
        assertEquals('data/holdout.csv', steps.mlopsDeploy[1].holdout)
        assertEquals(3, steps.mlopsDeploy[0].version)

        assertEquals(1, inputs.size())
        assertEquals('alice,group:ml-leads', inputs[0].submitter)
        assertEquals('approver', inputs[0].submitterParameter)
        assertEquals('Promote churn:3 to production?', inputs[0].message)
        assertNull(inputs[0].agent)

        Map promote = steps.mlopsDeploy.find { it.action == 'promote' }
        assertEquals('the release ends its rollout through the CLI, so the next build can start one', 'churn', promote.model)
        assertEquals(3, promote.version)
        assertEquals('alice', promote.approver)
        assertTrue('the alias moves inside the rollout, not beside it', steps.mlopsAlias.isEmpty())
        assertEquals('alice', built.approval.approver)
        assertEquals('SUCCESS', result())
    }

    @Test
    void level3InconclusiveEvaluationRegistersNothingAndAsksNobody() {
        evaluation = 'INCONCLUSIVE'

        Map built = run(3)

        assertEquals(['Checkout', 'Validate config', 'Checkout', 'Train', 'Evaluate', 'Register'], stages)
        assertTrue(steps.mlopsRegister.isEmpty())
        assertTrue(inputs.isEmpty())
        assertNull(built.version)
        assertTrue(echoes.join('\n'), echoes.any { it.contains("not registering run ${RUN_ID}: the evaluation is INCONCLUSIVE") })
    }

    @Test
    void anInvalidConfigFailsWithEveryProblemBeforeAnythingRuns() {
        validationExitCode = 2
        files << '.mlops/config-validation.json'
        fileContents['.mlops/config-validation.json'] = '{"schema":"mlops.config-validation/v1","valid":false,"problems":[' +
                '{"path":"gate.metrics[1].min_relative_change","message":"must be a number"},' +
                '{"path":"deploy.canary.stpes","message":"unknown key; did you mean steps?"}]}'

        try {
            run(4)
            fail('the build must fail')
        } catch (StepError e) {
            assertEquals('mlopsPipeline: mlops.yaml is not valid (mlops config validate exited with code 2); 2 problem(s):\n' +
                    '  gate.metrics[1].min_relative_change: must be a number\n' +
                    '  deploy.canary.stpes: unknown key; did you mean steps?', e.message)
        }
        assertEquals(['Checkout', 'Validate config'], stages)
        assertTrue(steps.isEmpty())
        assertEquals(0L, helper.methodCallCount('readYaml'))
    }

    @Test
    void level4RunsTheCanaryBeforePromotingAndSchedulesItsDriftCheck() {
        run(4)

        assertEquals(['Checkout', 'Validate config', 'Checkout', 'Train', 'Evaluate', 'Register', 'Deploy staging', 'Smoke test',
                      'Approve', 'Canary'], stages)
        Map canaryCall = steps.mlopsDeploy.find { it.action == 'canary' }
        assertEquals([10, 50, 100], canaryCall.steps)
        assertEquals(60, canaryCall.stepSeconds)
        assertEquals('the Jenkins approver is recorded in the rollout', 'alice', canaryCall.approver)
        assertEquals(['alice', 'group:ml-leads'], steps.mlopsDeploy.find { it.action == 'staging' }.approvers)
        assertSame([min_requests: 50, max_error_rate: 0.01, max_p99_ms: 500, max_shift: 0.2], canaryCall.analysis)
        assertFalse(steps.mlopsDeploy.any { it.action == 'rollback' })
        assertTrue('a promoted canary has moved production itself', steps.mlopsAlias.isEmpty())
        assertFalse(steps.mlopsDeploy.any { it.action == 'promote' })
        assertEquals('gpu', only('mlopsTrain').agent)
        assertEquals(true, only('mlopsTrain').requireGpu)
        assertEquals([cron: 'H/15 * * * *'], jobProperties[1].pipelineTriggers[0])
        assertEquals(['MLOPS_MODE', 'MLOPS_RETRAIN_REASON'], jobProperties[0].parameters*.name)
        assertEquals('SUCCESS', result())
    }

    @Test
    void level4FailedCanaryRollsBackAndFailsTheBuildWithoutPromoting() {
        canary = { Map args -> throw new StepError('mlopsDeploy: canary step 50% failed: error rate 0.08 > 0.01') }

        try {
            run(4)
            fail('the build must fail')
        } catch (StepError e) {
            assertEquals('mlopsPipeline: the canary of churn:3 failed (FAIL: mlopsDeploy: canary step 50% failed: error rate 0.08 > 0.01); ' +
                    'rolled back, production is unchanged', e.message)
        }
        assertEquals(['Approve', 'Canary', 'Rollback'], stages.takeRight(3))
        Map rollback = steps.mlopsDeploy.find { it.action == 'rollback' }
        assertEquals(REGISTRY + [model: 'churn', version: 3, action: 'rollback', agent: 'any', approver: 'alice',
                                 reason: 'canary FAIL: mlopsDeploy: canary step 50% failed: error rate 0.08 > 0.01'], rollback)
        assertTrue('production alias untouched', steps.mlopsAlias.isEmpty())
        assertEquals('FAILURE', result())
    }

    @Test
    void level4InconclusiveCanaryRollsBackAndLeavesTheBuildUnstable() {
        canary = { Map args -> [outcome: 'INCONCLUSIVE'] }

        try {
            run(4)
            fail('the build must stop')
        } catch (StepError e) {
            assertTrue(e.message, e.message.contains('INCONCLUSIVE; traffic is back on production and a person must decide'))
        }
        assertEquals(['Canary', 'Rollback'], stages.takeRight(2))
        assertEquals('UNSTABLE', result())
        assertTrue(steps.mlopsAlias.isEmpty())
    }

    @Test
    void level4TimerBuildIsTheDriftCheckWithTheRetrainTrigger() {
        causes << 'hudson.triggers.TimerTrigger$TimerTriggerCause'

        Map built = run(4)

        assertEquals(['Checkout', 'Validate config', 'Drift check'], stages)
        assertSame(REGISTRY + [model: 'churn', method: 'auto', correction: 'benjamini_hochberg', driftShare: 0.3, windowRows: 10000,
                                 webhook: 'https://jenkins.example.com/mlops-webhook/retrain', job: 'churn',
                                 secretCredentialsId: 'mlops-webhook-secret', cooldownMinutes: 360, maxPerDay: 2,
                                 triggerMode: 'trigger', agent: 'any'], only('mlopsDriftCheck'))
        assertTrue('a drift check trains nothing', steps.mlopsTrain.isEmpty())
        assertEquals('drift', built.mode)
    }

    @Test
    void mlopsModeDriftAsksForTheDriftCheckByHand() {
        binding.setVariable('params', [MLOPS_MODE: 'drift'])

        run(4)

        assertEquals(['Checkout', 'Validate config', 'Drift check'], stages)
    }

    @Test
    void aDriftModeWithoutDriftConfigNamesTheMissingSections() {
        binding.setVariable('params', [MLOPS_MODE: 'drift'])
        try {
            run(3)
            fail('expected error')
        } catch (StepError e) {
            assertTrue(e.message, e.message.contains('needs the drift: and retrain: sections'))
        }
        assertTrue(steps.isEmpty())
    }

    @Test
    void webhookBuildRetrainsThroughTheSameGatesAndRecordsWhy() {
        binding.setVariable('params', [MLOPS_RETRAIN_REASON: 'drift in 4 of 10 features; report https://ci.example.com/job/churn/9/'])

        Map built = run(4)

        assertEquals('retrain', built.mode)
        assertEquals(['Checkout', 'Validate config', 'Checkout', 'Train', 'Evaluate', 'Register', 'Deploy staging', 'Smoke test',
                      'Approve', 'Canary'], stages)
        assertEquals('a retrain request always trains', true, only('mlopsTrain').force)
        assertEquals('retraining requested: drift in 4 of 10 features; report https://ci.example.com/job/churn/9/',
                only('mlopsRegister').reason)
        assertEquals('alice', steps.mlopsDeploy.find { it.action == 'canary' }.approver)
    }

    @Test
    void everyExampleJenkinsfileIsAboutTenLinesAroundMlopsPipeline() {
        [2, 3, 4].each { level ->
            List<String> code = new File("../examples/level${level}/Jenkinsfile").readLines().findAll { it.trim() && !it.trim().startsWith('//') }
            assertTrue("level ${level}: ${code.size()} lines".toString(), code.size() <= 10)
            assertTrue(code.any { it.contains('mlopsPipeline(') })
            Map yaml = new Yaml().load(new File("../examples/level${level}/mlops.yaml").text)
            assertEquals(level, yaml.level)
        }
    }

    /** The examples against the real validator; skipped until the CLI jar (-Dmlops.cliJar) has `mlops config`. */
    @Test
    void everyExampleConfigIsValidForTheRealCliAtItsLevel() {
        String jar = System.getProperty('mlops.cliJar')
        Assume.assumeTrue("no CLI jar with mlops config at ${jar}".toString(), jar != null && new File(jar).isFile() &&
                new ZipFile(jar).withCloseable { it.getEntry('dev/mlops/cli/ConfigCommand.class') != null })
        String java = new File(System.getProperty('java.home'), 'bin/java').path
        [2, 3, 4].each { int level ->
            Process process = new ProcessBuilder(java, '-jar', jar, 'config', 'validate', "../examples/level${level}/mlops.yaml", '--json')
                    .redirectErrorStream(true).start()
            String out = process.inputStream.getText('UTF-8')
            assertEquals(out, 0, process.waitFor())
            Map report = new JsonSlurper().parseText(out.substring(out.indexOf('{'))) as Map
            assertEquals(out, level, report.level)
        }
    }
}
