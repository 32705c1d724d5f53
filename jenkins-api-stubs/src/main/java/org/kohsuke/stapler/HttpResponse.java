package org.kohsuke.stapler;

import jakarta.servlet.ServletException;
import java.io.IOException;

/**
 * STUB of stapler {@code org.kohsuke.stapler.HttpResponse}: what a {@code doXyz()} web method
 * returns; Stapler asks it to write the response. Same declaration as the jakarta-era source. The
 * real default method delegates to the deprecated javax overload
 * {@code generateResponse(StaplerRequest, StaplerResponse, Object)} when a subclass overrides that
 * one, else throws {@link AbstractMethodError}; the javax overload is omitted here, so the stub's
 * default always throws. Implementations override this method.
 */
public interface HttpResponse {
    /**
     * @param node the object whose "doXyz" method created this object
     */
    default void generateResponse(StaplerRequest2 req, StaplerResponse2 rsp, Object node)
            throws IOException, ServletException {
        throw new AbstractMethodError("The class " + getClass().getName() + " must override at least one of the "
                + HttpResponse.class.getSimpleName() + ".generateResponse methods");
    }
}
