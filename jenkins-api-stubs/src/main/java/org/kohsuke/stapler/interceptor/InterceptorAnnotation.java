package org.kohsuke.stapler.interceptor;

import static java.lang.annotation.ElementType.ANNOTATION_TYPE;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.Target;

/**
 * Signature stub of stapler's {@code org.kohsuke.stapler.interceptor.InterceptorAnnotation}
 * (jenkinsci/stapler core/src/main/java/org/kohsuke/stapler/interceptor/InterceptorAnnotation.java):
 * marks an annotation as an interceptor annotation run around web-method invocation.
 */
@Target(ANNOTATION_TYPE)
@Retention(RUNTIME)
@Documented
public @interface InterceptorAnnotation {
    /** Actual interceptor logic. Must have a default constructor. */
    Class<? extends Interceptor> value();
}
