package org.jenkinsci;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * STUB of lib-symbol-annotation {@code org.jenkinsci.Symbol}. The real annotation is also
 * meta-annotated {@code @org.jvnet.hudson.annotation_indexer.Indexed}; omitted here.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@Documented
public @interface Symbol {
    String[] value();
}
