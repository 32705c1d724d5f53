package org.kohsuke.stapler;

import jakarta.servlet.http.HttpServletResponse;

/**
 * STUB of stapler {@code org.kohsuke.stapler.StaplerResponse2} (same declaration:
 * {@code public interface StaplerResponse2 extends HttpServletResponse}). All of Stapler's own
 * members ({@code forward}, {@code sendRedirect2}, {@code serveFile}, {@code serveExposedBean},
 * {@code getCompressedWriter}, ...) are omitted; only the servlet API inherited from
 * jakarta.servlet-api is present.
 */
public interface StaplerResponse2 extends HttpServletResponse {
}
