package dev.mlops.retrain;

import dev.mlops.error.InvalidInputException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Jenkins' remote build trigger: {@code POST <jenkins>/job/<a>/job/<b>/buildWithParameters} with
 * the parameters form-encoded in the body and HTTP basic authentication by user and API token.
 * Jenkins exempts API-token requests from the CSRF crumb, so no crumb is fetched. Jenkins answers
 * 201 with {@code Location: <jenkins>/queue/item/<n>/} (303 when an identical item was already
 * queued); parameters the job does not define are ignored by Jenkins, so the job must declare them.
 */
public final class JenkinsRemoteTrigger implements RetrainTrigger {
    public static final String P_MODEL = "MLOPS_MODEL";
    public static final String P_VERSION = "MLOPS_VERSION";
    public static final String P_REASON = "MLOPS_REASON";
    public static final String P_REPORT = "MLOPS_REPORT";
    public static final String P_REQUEST = "MLOPS_REQUEST";

    private final URI jenkins;
    private final String job;
    private final String user;
    private final WebhookSecret apiToken;
    private final HttpDelivery http;

    public JenkinsRemoteTrigger(URI jenkins, String job, String user, WebhookSecret apiToken, RetryPolicy retry) {
        SignedWebhookTrigger.requireHttp(jenkins, "jenkins");
        this.jenkins = jenkins.toString().endsWith("/") ? jenkins : URI.create(jenkins + "/");
        if (job == null || job.isBlank() || job.startsWith("/") || job.endsWith("/") || job.contains("//")) {
            throw new InvalidInputException("job: '" + job + "' is not a Jenkins job name; use NAME or FOLDER/NAME");
        }
        if (user == null || user.isBlank()) {
            throw new InvalidInputException("jenkins user: empty; name the user whose API token is used (--jenkins-user)");
        }
        this.job = job;
        this.user = user;
        this.apiToken = apiToken;
        this.http = new HttpDelivery(retry);
    }

    /** {@code folder/name} → {@code job/folder/job/name/buildWithParameters}, each segment percent-encoded. */
    public URI buildUrl() {
        StringBuilder path = new StringBuilder();
        for (String segment : job.split("/")) {
            path.append("job/").append(URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20")).append('/');
        }
        return jenkins.resolve(path + "buildWithParameters");
    }

    static Map<String, String> parameters(RetrainPayload payload) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put(P_MODEL, payload.model());
        params.put(P_VERSION, payload.version() == null ? "" : payload.version());
        params.put(P_REASON, payload.reason());
        params.put(P_REPORT, payload.reportLink() == null ? "" : payload.reportLink().toString());
        params.put(P_REQUEST, new String(payload.toBytes(), StandardCharsets.UTF_8));
        return params;
    }

    static String form(Map<String, String> params) {
        List<String> pairs = new ArrayList<>();
        params.forEach((k, v) -> pairs.add(URLEncoder.encode(k, StandardCharsets.UTF_8) + "=" + URLEncoder.encode(v, StandardCharsets.UTF_8)));
        return String.join("&", pairs);
    }

    @Override
    public String target() {
        return buildUrl().toString();
    }

    @Override
    public String job() {
        return job;
    }

    @Override
    public String describe(RetrainPayload payload) {
        return "POST " + buildUrl() + " (basic auth " + user + " + API token from " + apiToken.source() + ")\n" + form(parameters(payload));
    }

    @Override
    public Delivery send(RetrainPayload payload) {
        byte[] body = form(parameters(payload)).getBytes(StandardCharsets.UTF_8);
        String basic = "Basic " + Base64.getEncoder().encodeToString((user + ":" + apiToken.asString()).getBytes(StandardCharsets.UTF_8));
        URI url = buildUrl();
        return http.post(url, "Jenkins buildWithParameters", () -> HttpRequest.newBuilder(url)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Authorization", basic)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)), apiToken);
    }
}
