package org.kohsuke.stapler.interceptor;

/**
 * MINIMAL stub of stapler's {@code org.kohsuke.stapler.interceptor.Interceptor}: only the type, so that
 * {@link InterceptorAnnotation#value()} and {@link RequirePOST.Processor} have their real names. The real
 * class also has a {@code target} field and an abstract {@code invoke(request, response, instance, arguments)};
 * they are left out because nothing here calls them (the real stapler jar provides them in Jenkins).
 */
public abstract class Interceptor {
}
