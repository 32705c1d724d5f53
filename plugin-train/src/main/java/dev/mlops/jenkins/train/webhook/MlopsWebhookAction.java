package dev.mlops.jenkins.train.webhook;

import com.cloudbees.plugins.credentials.CredentialsProvider;
import dev.mlops.audit.AuditLog;
import dev.mlops.retrain.RetrainLedger;
import dev.mlops.retrain.WebhookReceiver;
import dev.mlops.storage.ArtifactStore;
import dev.mlops.storage.ArtifactStores;
import hudson.Extension;
import hudson.ExtensionList;
import hudson.model.UnprotectedRootAction;
import hudson.security.ACL;
import jakarta.servlet.ServletException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jenkins.model.Jenkins;
import org.jenkinsci.plugins.plaincredentials.StringCredentials;
import org.kohsuke.stapler.HttpResponse;
import org.kohsuke.stapler.StaplerRequest2;
import org.kohsuke.stapler.StaplerResponse2;

/**
 * {@code POST <jenkins>/mlops-webhook/retrain[/<job>]}: the signed retrain webhook (docs/retrain.md).
 * Unprotected (anonymous callers reach it) and exempt from the CSRF crumb by
 * {@link MlopsWebhookCrumbExclusion}; every request is authenticated by its HMAC signature, with the
 * key read from the configured Secret text credential on each request (so a rotated secret applies
 * at once). One receiver is kept while the configuration is unchanged, so its replay cache lasts.
 */
@Extension
public class MlopsWebhookAction implements UnprotectedRootAction {
    public static final String URL_NAME = "mlops-webhook";

    private record Current(WebhookSettings settings, ArtifactStore store, WebhookReceiver receiver) {
    }

    private Current current;

    @Override
    public String getIconFileName() {
        return null;
    }

    @Override
    public String getDisplayName() {
        return null;
    }

    @Override
    public String getUrlName() {
        return URL_NAME;
    }

    /** Stapler: {@code /mlops-webhook/retrain} and everything below it. Not @RequirePOST: a GET gets a JSON 405. */
    public HttpResponse doRetrain(StaplerRequest2 req) throws IOException {
        String path = req.getRequestURI().substring(req.getContextPath().length());
        WebhookEndpoint.Reply reply = new WebhookEndpoint(this::receiver).handle(req.getMethod(), path, headers(req), req.getInputStream());
        return new JsonReply(reply);
    }

    private synchronized WebhookReceiver receiver() {
        WebhookSettings settings = ExtensionList.lookupSingleton(MlopsWebhookConfiguration.class).settings();
        if (current == null || !current.settings().equals(settings)) {
            if (current != null) {
                current.store().close();
            }
            Path home = Jenkins.get().getRootDir().toPath();
            ArtifactStore store = ArtifactStores.open(settings.registry() == null ? "mlops/registry" : settings.registry(), home, System.getenv());
            Clock clock = Clock.systemUTC();
            String credentialsId = settings.secretCredentialsId();
            WebhookReceiver receiver = new WebhookReceiver(
                    () -> WebhookSecrets.fromCredentials(credentialsId, CredentialsProvider.lookupCredentialsInItemGroup(
                            StringCredentials.class, Jenkins.get(), ACL.SYSTEM2, List.of())),
                    new AllowListedJobLauncher(settings.allowedJobs(), new QueueJenkinsJobs()),
                    new RetrainLedger(store, clock), new AuditLog(store, clock), settings.receiverSettings());
            current = new Current(settings, store, receiver);
        }
        return current.receiver();
    }

    private static Map<String, List<String>> headers(StaplerRequest2 req) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (String name : Collections.list(req.getHeaderNames())) {
            headers.put(name, new ArrayList<>(Collections.list(req.getHeaders(name))));
        }
        return headers;
    }

    /** A class, not a lambda: the real HttpResponse has two default generateResponse methods (javax and jakarta). */
    private static final class JsonReply implements HttpResponse {
        private final WebhookEndpoint.Reply reply;

        JsonReply(WebhookEndpoint.Reply reply) {
            this.reply = reply;
        }

        @Override
        public void generateResponse(StaplerRequest2 req, StaplerResponse2 rsp, Object node) throws IOException, ServletException {
            rsp.setStatus(reply.status());
            rsp.setContentType("application/json;charset=UTF-8");
            rsp.setHeader("Cache-Control", "no-store");
            if (reply.status() == 405) {
                rsp.setHeader("Allow", "POST");
            }
            if (reply.retryAfterSeconds() > 0) {
                rsp.setHeader("Retry-After", Long.toString(reply.retryAfterSeconds()));
            }
            rsp.setContentLength(reply.body().length);
            try (OutputStream out = rsp.getOutputStream()) {
                out.write(reply.body());
            }
        }
    }
}
