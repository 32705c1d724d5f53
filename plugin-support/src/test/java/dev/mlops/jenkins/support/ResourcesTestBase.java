package dev.mlops.jenkins.support;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;

/**
 * Jelly views and help files exist where Stapler looks for them and are well-formed XML. A plugin's
 * {@code ResourcesTest} extends this and names its step, its build action and some arguments the
 * step is known to have (a check that the reflection finds them).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class ResourcesTestBase {

    /** The step class; its help files are in the resource folder named after it. */
    protected abstract Class<?> stepClass();

    /** The build action class; its jelly views are in the resource folder named after it. */
    protected abstract Class<?> actionClass();

    /** Arguments the step must have. */
    protected abstract List<String> knownArguments();

    private static String folder(Class<?> type) {
        return "/" + type.getName().replace('.', '/') + "/";
    }

    /** Every argument of the step: constructor parameters and @DataBoundSetter properties. */
    protected List<String> arguments() {
        List<String> names = new ArrayList<>();
        for (Constructor<?> ctor : stepClass().getConstructors()) {
            if (ctor.isAnnotationPresent(DataBoundConstructor.class)) {
                for (Parameter p : ctor.getParameters()) {
                    names.add(p.getName());
                }
            }
        }
        for (Method m : stepClass().getMethods()) {
            if (m.isAnnotationPresent(DataBoundSetter.class)) {
                names.add(Character.toLowerCase(m.getName().charAt(3)) + m.getName().substring(4));
            }
        }
        return names;
    }

    private void assertWellFormed(String resource) throws Exception {
        try (InputStream in = stepClass().getResourceAsStream(resource)) {
            assertNotNull(in, resource + " is missing");
            byte[] bytes = in.readAllBytes();
            var factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            factory.newDocumentBuilder().parse(new ByteArrayInputStream(bytes));
            if (resource.endsWith(".jelly")) {
                assertTrue(new String(bytes, StandardCharsets.UTF_8).startsWith("<?jelly escape-by-default='true'?>"),
                        resource + " must start with the escape-by-default processing instruction");
            }
        }
    }

    @Test
    void actionViewsAreWellFormedAndEscapeByDefault() throws Exception {
        assertWellFormed(folder(actionClass()) + "index.jelly");
        assertWellFormed(folder(actionClass()) + "summary.jelly");
    }

    @Test
    void stepHasGeneralHelp() throws Exception {
        assertWellFormed(folder(stepClass()) + "help.html");
    }

    @ParameterizedTest
    @MethodSource("arguments")
    void everyArgumentHasWellFormedHelp(String argument) throws Exception {
        assertWellFormed(folder(stepClass()) + "help-" + argument + ".html");
    }

    @Test
    void argumentsAreFoundByReflection() {
        assertTrue(arguments().containsAll(knownArguments()), arguments().toString());
    }
}
