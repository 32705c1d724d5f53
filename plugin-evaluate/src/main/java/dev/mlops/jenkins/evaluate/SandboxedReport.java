package dev.mlops.jenkins.evaluate;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletResponse;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import org.kohsuke.stapler.HttpResponse;
import org.kohsuke.stapler.StaplerRequest2;
import org.kohsuke.stapler.StaplerResponse2;

/**
 * Serves a report file kept with the build under the sandboxing Content-Security-Policy (the HTML
 * reports are self-contained: inline styles, data: images, no scripts), or 404 with {@code missing}
 * once the file is gone.
 */
final class SandboxedReport {
    /** No scripts, no plugins, no network; only the report's own inline CSS and data: images. */
    static final String CONTENT_SECURITY_POLICY = "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:";

    private SandboxedReport() {
    }

    static HttpResponse serve(File dir, String fileName, String contentType, String missing) {
        File file = dir == null ? null : new File(dir, fileName);
        return new HttpResponse() {
            @Override
            public void generateResponse(StaplerRequest2 req, StaplerResponse2 rsp, Object node) throws IOException, ServletException {
                if (file == null || !file.isFile()) {
                    rsp.sendError(HttpServletResponse.SC_NOT_FOUND, missing);
                    return;
                }
                rsp.setContentType(contentType);
                rsp.setHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY);
                rsp.setHeader("X-Content-Type-Options", "nosniff");
                rsp.setHeader("X-Frame-Options", "SAMEORIGIN");
                rsp.getWriter().write(Files.readString(file.toPath(), StandardCharsets.UTF_8));
            }
        };
    }
}
