package hudson.security.csrf;

import hudson.ExtensionPoint;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * STUB of jenkins-core {@code hudson.security.csrf.CrumbExclusion}: lets a plugin exempt requests
 * from the CSRF crumb check. {@code CrumbFilter} calls {@link #process} for every POST with the
 * request wrapped so that {@code getPathInfo()} is the canonical path (no {@code //}, {@code .} or
 * {@code ..}) below the context path; the first exclusion that returns true has handled the request.
 * The real jakarta {@code process} is not abstract: it delegates to the deprecated javax overload
 * when a subclass overrides that one, else throws {@link AbstractMethodError}; the javax overload and
 * the static {@code all()} (an {@code ExtensionList}) are omitted here, so the stub's default always
 * throws. Subclasses override the jakarta method.
 */
public abstract class CrumbExclusion implements ExtensionPoint {
    /**
     * Called for every incoming POST request.
     *
     * @return true if the callee has processed this request (by reporting an error, or by executing the rest of the chain)
     */
    public /* abstract */ boolean process(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        throw new AbstractMethodError("The class " + getClass().getName() + " must override at least one of the "
                + CrumbExclusion.class.getSimpleName() + ".process methods");
    }
}
