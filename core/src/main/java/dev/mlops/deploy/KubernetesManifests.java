package dev.mlops.deploy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.mlops.error.InvalidInputException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * For the team that has outgrown one machine: a Kubernetes Deployment + Service running
 * {@code mlops serve} for one model version, with readiness/liveness probes on the KServe v2
 * health endpoints and resource requests/limits. Applying it is the user's {@code kubectl apply}.
 */
public final class KubernetesManifests {
    /** Secret (name/key) holding the Azure connection string when the registry is on Azure Blob. */
    public static final String REGISTRY_SECRET = "mlops-registry";
    public static final String REGISTRY_SECRET_KEY = "connection-string";
    private static final Pattern QUANTITY = Pattern.compile("[0-9]+(\\.[0-9]+)?(m|Ki|Mi|Gi|Ti|k|M|G|T)?");
    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");

    /**
     * @param image    container image with the mlops CLI as entrypoint (e.g. built by the Docker target)
     * @param registry registry URI the pod downloads the version from ({@code azblob://...} reads the secret)
     */
    public record Spec(String model, int version, String image, String namespace, int replicas, int port, String registry,
                       String cpuRequest, String memoryRequest, String cpuLimit, String memoryLimit) {
        public static Spec defaults(String model, int version, String image, String registry) {
            return new Spec(model, version, image, "default", 2, 8080, registry, "250m", "512Mi", "1", "1Gi");
        }
    }

    private KubernetesManifests() {
    }

    /** Two YAML documents: the Deployment, then the Service. All problems are reported at once. */
    public static String render(Spec spec) {
        validate(spec);
        String name = resourceName(spec.model(), spec.version());
        Map<String, Object> labels = new LinkedHashMap<>();
        labels.put("app.kubernetes.io/name", resourceName(spec.model(), 0).replaceAll("-v0$", ""));
        labels.put("app.kubernetes.io/managed-by", "mlops");
        labels.put("mlops.dev/model", spec.model());
        labels.put("mlops.dev/version", String.valueOf(spec.version()));

        List<Object> env = new ArrayList<>();
        env.add(Map.of("name", "MLOPS_REGISTRY", "value", spec.registry()));
        if (spec.registry().startsWith("azblob:")) {
            env.add(Map.of("name", "AZURE_STORAGE_CONNECTION_STRING", "valueFrom",
                    Map.of("secretKeyRef", Map.of("name", REGISTRY_SECRET, "key", REGISTRY_SECRET_KEY))));
        }
        Map<String, Object> container = new LinkedHashMap<>();
        container.put("name", "model-server");
        container.put("image", spec.image());
        container.put("args", List.of("serve", "--model", spec.model() + ":" + spec.version(), "--host", "0.0.0.0",
                "--port", String.valueOf(spec.port())));
        container.put("ports", List.of(Map.of("name", "http", "containerPort", spec.port())));
        container.put("env", env);
        container.put("readinessProbe", probe("/v2/health/ready", spec.port(), 5));
        container.put("livenessProbe", probe("/v2/health/live", spec.port(), 30));
        container.put("resources", Map.of(
                "requests", Map.of("cpu", spec.cpuRequest(), "memory", spec.memoryRequest()),
                "limits", Map.of("cpu", spec.cpuLimit(), "memory", spec.memoryLimit())));

        Map<String, Object> deployment = new LinkedHashMap<>();
        deployment.put("apiVersion", "apps/v1");
        deployment.put("kind", "Deployment");
        deployment.put("metadata", Map.of("name", name, "namespace", spec.namespace(), "labels", labels));
        deployment.put("spec", Map.of(
                "replicas", spec.replicas(),
                "selector", Map.of("matchLabels", labels),
                "template", Map.of("metadata", Map.of("labels", labels), "spec", Map.of("containers", List.of(container)))));

        Map<String, Object> service = new LinkedHashMap<>();
        service.put("apiVersion", "v1");
        service.put("kind", "Service");
        service.put("metadata", Map.of("name", name, "namespace", spec.namespace(), "labels", labels));
        service.put("spec", Map.of("selector", labels,
                "ports", List.of(Map.of("name", "http", "port", 80, "targetPort", spec.port(), "protocol", "TCP"))));

        YAMLMapper yaml = new YAMLMapper(new YAMLFactory().disable(YAMLGenerator.Feature.SPLIT_LINES)
                .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES).enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS));
        try {
            return yaml.writeValueAsString(deployment) + yaml.writeValueAsString(service);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot render manifests", e);
        }
    }

    /** A DNS-1123 label from the model name and version, e.g. {@code Churn_EU} 3 → {@code churn-eu-v3}. */
    public static String resourceName(String model, int version) {
        String base = model.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]+", "-").replaceAll("^-+|-+$", "");
        String suffix = "-v" + version;
        if (base.length() + suffix.length() > 63) {
            base = base.substring(0, 63 - suffix.length()).replaceAll("-+$", "");
        }
        return base + suffix;
    }

    private static Map<String, Object> probe(String path, int port, int periodSeconds) {
        return Map.of("httpGet", Map.of("path", path, "port", port), "periodSeconds", periodSeconds, "failureThreshold", 3);
    }

    private static void validate(Spec spec) {
        List<String> problems = new ArrayList<>();
        if (spec.model() == null || spec.model().isBlank()) {
            problems.add("model: missing");
        } else if (!DNS_LABEL.matcher(resourceName(spec.model(), spec.version())).matches()) {
            problems.add("model: '" + spec.model() + "' gives no valid Kubernetes name; use letters or digits");
        }
        if (spec.version() < 1) {
            problems.add("version: " + spec.version() + " must be >= 1");
        }
        if (spec.image() == null || spec.image().isBlank()) {
            problems.add("image: missing; pass the container image that runs the mlops CLI");
        }
        if (spec.namespace() == null || !DNS_LABEL.matcher(spec.namespace()).matches()) {
            problems.add("namespace: '" + spec.namespace() + "' is not a DNS-1123 label");
        }
        if (spec.replicas() < 1) {
            problems.add("replicas: " + spec.replicas() + " must be >= 1");
        }
        if (spec.port() < 1 || spec.port() > 65535) {
            problems.add("port: " + spec.port() + " not in 1..65535");
        }
        if (spec.registry() == null || spec.registry().isBlank() || !spec.registry().contains(":")) {
            problems.add("registry: '" + spec.registry() + "' must be a URI the pod can reach (azblob://container/prefix or file:/mounted/path)");
        }
        quantity(problems, "resources.requests.cpu", spec.cpuRequest());
        quantity(problems, "resources.requests.memory", spec.memoryRequest());
        quantity(problems, "resources.limits.cpu", spec.cpuLimit());
        quantity(problems, "resources.limits.memory", spec.memoryLimit());
        if (!problems.isEmpty()) {
            throw new InvalidInputException("kubernetes manifest has " + problems.size() + " problem" + (problems.size() == 1 ? "" : "s")
                    + ": " + String.join("; ", problems));
        }
    }

    private static void quantity(List<String> problems, String field, String value) {
        if (value == null || !QUANTITY.matcher(value).matches()) {
            problems.add(field + ": '" + value + "' is not a Kubernetes quantity (e.g. 250m, 1, 512Mi)");
        }
    }
}
