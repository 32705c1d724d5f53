package org.kohsuke.stapler;

import jakarta.servlet.http.HttpServletRequest;

/**
 * STUB of stapler {@code org.kohsuke.stapler.StaplerRequest2} (same declaration:
 * {@code public interface StaplerRequest2 extends HttpServletRequest}). All of Stapler's own
 * members ({@code getRestOfPath}, {@code bindJSON}, {@code getSubmittedForm}, {@code getView}, ...)
 * are omitted; only the servlet API inherited from jakarta.servlet-api is present.
 */
public interface StaplerRequest2 extends HttpServletRequest {
}
