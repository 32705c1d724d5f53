package dev.mlops.serve;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.json.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The admin listener (bound to 127.0.0.1 only): {@code GET /admin/traffic} lists the policies,
 * {@code POST /admin/traffic} replaces one model's policy. Every request needs
 * {@code Authorization: Bearer $MLOPS_ADMIN_TOKEN}; the check runs first, in constant time, and
 * the token is never logged or echoed.
 */
final class AdminRoutes {
    static final String TRAFFIC = "/admin/traffic";
    private static final int MAX_BODY = 64 * 1024;
    /** The policy's fields; anything else (a typo such as "canaryweight") is refused rather than ignored. */
    static final List<String> FIELDS = List.of("model", "primary", "canary", "canaryWeight", "shadow", "pinHeader", "cohortHeader", "seed");

    private final ModelServer server;
    private final AdminToken token;

    AdminRoutes(ModelServer server, AdminToken token) {
        this.server = server;
        this.token = token;
    }

    void handle(ServeExchange ex) {
        try {
            if (!ex.remoteAddress().isLoopbackAddress()) {
                throw new HttpError(403, "admin: only local callers (127.0.0.1) may use the admin endpoints");
            }
            if (!token.matches(ex.header("authorization"))) {
                ex.respond(401, V2Routes.JSON, V2Routes.errorBody("admin: missing or wrong bearer token; send Authorization: Bearer $"
                        + AdminToken.ENV + " (the token the server was started with)"), "WWW-Authenticate", "Bearer realm=\"mlops-serve-admin\"");
                return;
            }
            if (!ex.path().equals(TRAFFIC)) {
                throw HttpError.notFound("no admin endpoint at " + InferCodec.abbreviate(ex.path()) + "; use GET or POST " + TRAFFIC);
            }
            switch (ex.method()) {
                case "GET" -> ex.respond(200, V2Routes.JSON, Json.toBytes(Map.of("policies", server.policies())));
                case "POST" -> update(ex);
                default -> ex.respond(405, V2Routes.JSON, V2Routes.errorBody("method " + ex.method() + " is not allowed on " + TRAFFIC
                        + "; use GET or POST"), "Allow", "GET, POST");
            }
        } catch (RuntimeException e) {
            V2Routes.error(ex, e);
        } catch (IOException e) {
            // client gone
        }
    }

    private void update(ServeExchange ex) throws IOException {
        byte[] body = ex.body(MAX_BODY);
        JsonNode node;
        try {
            node = Json.mapper().readTree(body);
        } catch (IOException e) {
            throw HttpError.badRequest("body: not valid JSON; send a traffic policy such as "
                    + "{\"model\":\"churn\",\"primary\":3,\"canary\":4,\"canaryWeight\":10}");
        }
        if (node == null || !node.isObject()) {
            throw HttpError.badRequest("body: expected a JSON object {\"model\",\"primary\",\"canary\",\"canaryWeight\",\"shadow\",...}");
        }
        List<String> unknown = new ArrayList<>();
        node.fieldNames().forEachRemaining(f -> {
            if (!FIELDS.contains(f)) {
                unknown.add(f);
            }
        });
        if (!unknown.isEmpty()) {
            throw HttpError.badRequest("traffic." + String.join(", traffic.", unknown) + ": unknown field(s); a policy has "
                    + String.join(", ", FIELDS));
        }
        TrafficPolicy policy;
        try {
            policy = Json.mapper().treeToValue(node, TrafficPolicy.class);
        } catch (IOException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            String message = cause instanceof dev.mlops.error.MlopsException ? cause.getMessage()
                    : "not a traffic policy (" + InferCodec.abbreviate(String.valueOf(e.getMessage()).lines().findFirst().orElse("")) + ")";
            throw HttpError.badRequest(message + "; expected {\"model\":\"churn\",\"primary\":3,\"canary\":4,\"canaryWeight\":10,\"shadow\":5}");
        }
        TrafficPolicy previous = server.updatePolicy(policy);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("previous", previous);
        answer.put("policy", policy);
        ex.respond(200, V2Routes.JSON, Json.toBytes(answer));
    }
}
