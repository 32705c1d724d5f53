package org.kohsuke.stapler.interceptor;

import static java.lang.annotation.ElementType.FIELD;
import static java.lang.annotation.ElementType.METHOD;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

import java.lang.annotation.Retention;
import java.lang.annotation.Target;

/**
 * Signature stub of stapler's {@code org.kohsuke.stapler.interceptor.RequirePOST}
 * (jenkinsci/stapler core/src/main/java/org/kohsuke/stapler/interceptor/RequirePOST.java): requires the
 * request to be a POST; other methods get 405. Annotation, retention, targets and the nested
 * {@code Processor} name are exact; the Processor's body (the 405 response) and the nested
 * {@code ErrorHandler} interface are not stubbed.
 */
@Retention(RUNTIME)
@Target({METHOD, FIELD})
@InterceptorAnnotation(RequirePOST.Processor.class)
public @interface RequirePOST {

    /** Stub of the interceptor that refuses non-POST requests; the real one is in the stapler jar. */
    class Processor extends Interceptor {
    }
}
