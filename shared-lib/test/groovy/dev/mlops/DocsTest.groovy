package dev.mlops

import static org.junit.Assert.assertEquals
import static org.junit.Assert.assertTrue

import org.junit.Test

/**
 * Keeps the documentation honest: docs/steps/<var>.md names exactly the arguments the var accepts (its ARGUMENTS
 * field) and its help file vars/<var>.txt names them too; docs/levels/level<N>.md quotes examples/level<N>/mlops.yaml.
 */
class DocsTest extends PipelineTestSupport {

    static final File DOCS = new File('../docs')

    List<String> vars() {
        return new File('vars').listFiles().findAll { it.name.endsWith('.groovy') }.collect { it.name - '.groovy' }.sort()
    }

    /** The var's ARGUMENTS field; mlopsCli, which has none, takes the opts.<name> its call(opts) reads. */
    List<String> arguments(String name) {
        Script script = loadScript("${name}.groovy")
        if (script.hasProperty('ARGUMENTS')) {
            return script.ARGUMENTS as List<String>
        }
        String source = new File("vars/${name}.groovy").text
        String callBody = source.substring(source.indexOf('String call(Map opts'), source.indexOf('Map runJson('))
        return (callBody =~ /opts\.(\w+)/).collect { it[1] }.unique()
    }

    /** The `name` cells of the table under "## Arguments". */
    static List<String> documented(File page) {
        List<String> names = []
        boolean inside = false
        page.readLines().each { String line ->
            if (line.startsWith('## ')) {
                inside = line == '## Arguments'
            } else if (inside) {
                def cell = line =~ /^\| `(\w+)` \|/
                if (cell.find()) {
                    names << cell.group(1)
                }
            }
        }
        return names
    }

    @Test
    void everyStepPageDocumentsExactlyTheArgumentsTheStepAcceptsAndItsHelpNamesThem() {
        List<String> problems = []
        vars().each { String name ->
            File help = new File("vars/${name}.txt")
            File page = new File(DOCS, "steps/${name}.md")
            if (!help.isFile() || !page.isFile()) {
                problems << "${name}: missing ${help.isFile() ? '' : help.path + ' '}${page.isFile() ? '' : page.path}".toString()
                return
            }
            List<String> accepted = arguments(name)
            List<String> inPage = documented(page)
            if (inPage.toSet() != accepted.toSet()) {
                problems << "${page.path}: documents ${inPage - accepted ?: 'no extra'} the step does not take, misses ${accepted - inPage ?: 'none'}".toString()
            }
            String text = help.text
            List<String> notInHelp = accepted.findAll { !(text =~ /(?<![A-Za-z])${it}(?![A-Za-z])/).find() }
            if (notInHelp) {
                problems << "${help.path}: does not mention ${notInHelp}".toString()
            }
        }
        assertTrue(problems.join('\n'), problems.isEmpty())
    }

    @Test
    void theDocsTableListsEveryStepPage() {
        String index = new File(DOCS, 'steps/README.md').text
        vars().each { assertTrue("docs/steps/README.md lists ${it}".toString(), index.contains("(${it}.md)")) }
    }

    @Test
    void everyLevelPageQuotesItsExampleConfigVerbatim() {
        [2, 3, 4].each { int level ->
            String page = new File(DOCS, "levels/level${level}.md").text
            String yaml = new File("../examples/level${level}/mlops.yaml").text
            assertTrue("docs/levels/level${level}.md quotes examples/level${level}/mlops.yaml".toString(),
                    page.contains("```yaml\n${yaml}```"))
        }
    }

    @Test
    void theCheckCatchesADisagreement() {
        File page = File.createTempFile('step', '.md')
        page.deleteOnExit()
        page.text = '# x\n\n## Arguments\n\n| argument | meaning |\n|---|---|\n| `model` | name |\n| `colour` | not real |\n\n## Returns\n| `ignored` | x |\n'
        assertEquals(['model', 'colour'], documented(page))
    }
}
