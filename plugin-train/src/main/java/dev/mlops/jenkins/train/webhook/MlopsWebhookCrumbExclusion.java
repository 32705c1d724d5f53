package dev.mlops.jenkins.train.webhook;

import hudson.Extension;
import hudson.security.csrf.CrumbExclusion;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * Lets POSTs to {@code /mlops-webhook/...} through without a CSRF crumb: a webhook sender has no
 * session to get one from, and each request is authenticated by its HMAC signature instead. Nothing
 * else is exempted. CrumbFilter hands in the canonical path ({@code ..} already resolved), so
 * {@code /mlops-webhook/../job/x/build} arrives as {@code /job/x/build} and is not exempt.
 */
@Extension
public class MlopsWebhookCrumbExclusion extends CrumbExclusion {
    static final String PREFIX = "/" + MlopsWebhookAction.URL_NAME + "/";

    @Override
    public boolean process(HttpServletRequest request, HttpServletResponse response, FilterChain chain) throws IOException, ServletException {
        if (excludes(request.getPathInfo())) {
            chain.doFilter(request, response);
            return true;
        }
        return false;
    }

    static boolean excludes(String pathInfo) {
        return pathInfo != null && pathInfo.startsWith(PREFIX);
    }
}
