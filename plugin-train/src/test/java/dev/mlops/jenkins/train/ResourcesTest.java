package dev.mlops.jenkins.train;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;

/** Jelly views and help files exist where Stapler looks for them and are well-formed XML. */
class ResourcesTest {
    private static final String ACTION = "/dev/mlops/jenkins/train/TrainingRunAction/";
    private static final String STEP = "/dev/mlops/jenkins/train/MlopsTrainStep/";

    /** Every argument of the step: constructor parameters and @DataBoundSetter properties. */
    static List<String> arguments() {
        List<String> names = new ArrayList<>();
        for (var ctor : MlopsTrainStep.class.getConstructors()) {
            if (ctor.isAnnotationPresent(DataBoundConstructor.class)) {
                for (Parameter p : ctor.getParameters()) {
                    names.add(p.getName());
                }
            }
        }
        for (Method m : MlopsTrainStep.class.getMethods()) {
            if (m.isAnnotationPresent(DataBoundSetter.class)) {
                names.add(Character.toLowerCase(m.getName().charAt(3)) + m.getName().substring(4));
            }
        }
        return names;
    }

    private static void assertWellFormed(String resource) throws Exception {
        try (InputStream in = ResourcesTest.class.getResourceAsStream(resource)) {
            assertNotNull(in, resource + " is missing");
            byte[] bytes = in.readAllBytes();
            var factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            factory.newDocumentBuilder().parse(new java.io.ByteArrayInputStream(bytes));
            if (resource.endsWith(".jelly")) {
                assertTrue(new String(bytes, StandardCharsets.UTF_8).startsWith("<?jelly escape-by-default='true'?>"),
                        resource + " must start with the escape-by-default processing instruction");
            }
        }
    }

    @Test
    void actionViewsAreWellFormedAndEscapeByDefault() throws Exception {
        assertWellFormed(ACTION + "index.jelly");
        assertWellFormed(ACTION + "summary.jelly");
    }

    @Test
    void stepHasGeneralHelp() throws Exception {
        assertWellFormed(STEP + "help.html");
    }

    @ParameterizedTest
    @MethodSource("arguments")
    void everyArgumentHasWellFormedHelp(String argument) throws Exception {
        assertWellFormed(STEP + "help-" + argument + ".html");
    }

    @Test
    void argumentsAreFoundByReflection() {
        assertTrue(arguments().containsAll(List.of("data", "trainer", "command", "params", "requireGpu", "gpus", "runsDir")), arguments().toString());
    }
}
