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
 * {@code POST /admin/traffic} replaces one model's policy; {@code GET /admin/versions} lists the
 * versions and their state, {@code POST /admin/versions} {@code {"model":"churn","version":5}}
 * starts loading a version into the running server (202, then poll the list until it is ready or
 * failed), {@code DELETE /admin/versions/{model}/{version}} unloads a version no policy routes to
 * (409 while one does). Every request needs
 * {@code Authorization: Bearer $MLOPS_ADMIN_TOKEN}; the check runs first, in constant time, and
 * the token is never logged or echoed.
 */
final class AdminRoutes {
    static final String TRAFFIC = "/admin/traffic";
    static final String VERSIONS = "/admin/versions";
    static final String VERSIONS_SCHEMA = "mlops.served-versions/v1";
    static final List<String> VERSION_FIELDS = List.of("model", "version");
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
            if (ex.path().equals(VERSIONS) || ex.path().startsWith(VERSIONS + "/")) {
                versions(ex);
                return;
            }
            if (!ex.path().equals(TRAFFIC)) {
                throw HttpError.notFound("no admin endpoint at " + InferCodec.abbreviate(ex.path()) + "; use GET or POST " + TRAFFIC
                        + ", GET or POST " + VERSIONS + ", DELETE " + VERSIONS + "/{model}/{version}");
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

    private void versions(ServeExchange ex) throws IOException {
        if (ex.path().equals(VERSIONS)) {
            switch (ex.method()) {
                case "GET" -> ex.respond(200, V2Routes.JSON, Json.toBytes(listing()));
                case "POST" -> load(ex);
                default -> ex.respond(405, V2Routes.JSON, V2Routes.errorBody("method " + ex.method() + " is not allowed on " + VERSIONS
                        + "; use GET to list, POST to load, DELETE " + VERSIONS + "/{model}/{version} to unload"), "Allow", "GET, POST");
            }
            return;
        }
        String[] parts = ex.path().substring(VERSIONS.length() + 1).split("/", -1);
        int version = parts.length == 2 ? TrafficRouter.parseVersion(parts[1]) : -1;
        if (version < 1 || parts[0].isEmpty()) {
            throw HttpError.notFound("no admin endpoint at " + InferCodec.abbreviate(ex.path()) + "; unload with DELETE " + VERSIONS
                    + "/{model}/{version}, e.g. " + VERSIONS + "/churn/3");
        }
        if (!ex.method().equals("DELETE")) {
            ex.respond(405, V2Routes.JSON, V2Routes.errorBody("method " + ex.method() + " is not allowed on " + InferCodec.abbreviate(ex.path())
                    + "; use DELETE to unload (GET " + VERSIONS + " lists the versions)"), "Allow", "DELETE");
            return;
        }
        ex.respond(200, V2Routes.JSON, Json.toBytes(server.unloadVersion(parts[0], version)));
    }

    private Map<String, Object> listing() {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("schema", VERSIONS_SCHEMA);
        answer.put("versions", server.versionStatuses());
        return answer;
    }

    private void load(ServeExchange ex) throws IOException {
        JsonNode node = object(ex.body(MAX_BODY), "{\"model\":\"churn\",\"version\":5}");
        List<String> unknown = unknownFields(node, VERSION_FIELDS);
        if (!unknown.isEmpty()) {
            throw HttpError.badRequest("versions." + String.join(", versions.", unknown) + ": unknown field(s); send "
                    + "{\"model\":\"churn\",\"version\":5}");
        }
        JsonNode model = node.get("model");
        JsonNode version = node.get("version");
        List<String> problems = new ArrayList<>();
        if (model == null || !model.isTextual() || model.asText().isBlank()) {
            problems.add("versions.model: missing or not a string; name a served model, e.g. \"model\":\"churn\"");
        }
        if (version == null || !version.isIntegralNumber() || !version.canConvertToInt() || version.asInt() < 1) {
            problems.add("versions.version: " + (version == null ? "missing" : InferCodec.abbreviate(version.toString()) + " is not a version number")
                    + "; give the registry version to load, e.g. \"version\":5");
        }
        if (!problems.isEmpty()) {
            throw HttpError.badRequest(String.join("; ", problems));
        }
        VersionStatus status = server.loadVersion(model.asText(), version.asInt());
        ex.respond(status.state().equals(VersionStatus.READY) ? 200 : 202, V2Routes.JSON, Json.toBytes(status));
    }

    private static JsonNode object(byte[] body, String example) {
        JsonNode node;
        try {
            node = Json.mapper().readTree(body);
        } catch (IOException e) {
            throw HttpError.badRequest("body: not valid JSON; send e.g. " + example);
        }
        if (node == null || !node.isObject()) {
            throw HttpError.badRequest("body: expected a JSON object such as " + example);
        }
        return node;
    }

    private static List<String> unknownFields(JsonNode node, List<String> fields) {
        List<String> unknown = new ArrayList<>();
        node.fieldNames().forEachRemaining(f -> {
            if (!fields.contains(f)) {
                unknown.add(f);
            }
        });
        return unknown;
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
