package hudson;

import static java.lang.annotation.ElementType.FIELD;
import static java.lang.annotation.ElementType.METHOD;
import static java.lang.annotation.ElementType.TYPE;
import static java.lang.annotation.RetentionPolicy.RUNTIME;
import static jenkins.YesNoMaybe.MAYBE;

import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.Target;
import jenkins.YesNoMaybe;

/**
 * STUB of jenkins-core {@code hudson.Extension}.
 *
 * <p>Difference from the real annotation: the real one is also meta-annotated with
 * {@code @net.java.sezpoz.Indexable}, whose annotation processor writes
 * {@code META-INF/annotations/hudson.Extension} for {@code ExtensionFinder}. The stub omits it, so
 * nothing is indexed at compile time here; the real build ({@code -P jenkins}) indexes normally.
 */
@Retention(RUNTIME)
@Target({TYPE, FIELD, METHOD})
@Documented
public @interface Extension {
    double ordinal() default 0;

    @Deprecated
    boolean optional() default false;

    YesNoMaybe dynamicLoadable() default MAYBE;
}
