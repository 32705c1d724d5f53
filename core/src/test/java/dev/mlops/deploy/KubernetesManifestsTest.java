package dev.mlops.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.mlops.error.InvalidInputException;
import java.util.List;
import org.junit.jupiter.api.Test;

class KubernetesManifestsTest {

    private static List<JsonNode> parse(String yaml) throws Exception {
        try (MappingIterator<JsonNode> docs = new YAMLMapper().readerFor(JsonNode.class).readValues(yaml)) {
            return docs.readAll();
        }
    }

    @Test
    void rendersADeploymentAndAServiceWithTheShapeKubernetesRequires() throws Exception {
        String yaml = KubernetesManifests.render(KubernetesManifests.Spec.defaults("Churn_EU", 3, "registry.example/mlops:0.1.0",
                "azblob://models/prod"));
        List<JsonNode> docs = parse(yaml);
        assertEquals(2, docs.size());
        JsonNode deployment = docs.get(0);
        assertEquals("apps/v1", deployment.at("/apiVersion").asText());
        assertEquals("Deployment", deployment.at("/kind").asText());
        assertEquals("churn-eu-v3", deployment.at("/metadata/name").asText());
        assertEquals(deployment.at("/spec/selector/matchLabels"), deployment.at("/spec/template/metadata/labels"),
                "the selector must match the pod template's labels or the API server rejects the Deployment");
        JsonNode container = deployment.at("/spec/template/spec/containers/0");
        assertEquals("/v2/health/ready", container.at("/readinessProbe/httpGet/path").asText());
        assertEquals("/v2/health/live", container.at("/livenessProbe/httpGet/path").asText());
        assertEquals(8080, container.at("/readinessProbe/httpGet/port").asInt());
        assertEquals(8080, container.at("/ports/0/containerPort").asInt());
        assertEquals("Churn_EU:3", container.at("/args/2").asText());
        assertEquals("512Mi", container.at("/resources/requests/memory").asText());
        assertEquals("mlops-registry", container.at("/env/1/valueFrom/secretKeyRef/name").asText());
        assertFalse(yaml.contains("AccountKey"), "no secret value is ever written into a manifest");

        JsonNode service = docs.get(1);
        assertEquals("v1", service.at("/apiVersion").asText());
        assertEquals("Service", service.at("/kind").asText());
        assertEquals(deployment.at("/spec/template/metadata/labels"), service.at("/spec/selector"));
        assertEquals(container.at("/ports/0/containerPort").asInt(), service.at("/spec/ports/0/targetPort").asInt());
    }

    @Test
    void aFileRegistryNeedsNoSecret() throws Exception {
        JsonNode container = parse(KubernetesManifests.render(KubernetesManifests.Spec.defaults("churn", 1, "img", "file:/models")))
                .get(0).at("/spec/template/spec/containers/0");
        assertEquals(1, container.at("/env").size());
    }

    @Test
    void reportsEveryProblemAtOnce() {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> KubernetesManifests.render(
                new KubernetesManifests.Spec("churn", 0, "", "Bad_NS", 0, 70000, "nowhere", "lots", "512Mi", "1", "1Gb")));
        for (String field : List.of("version:", "image:", "namespace:", "replicas:", "port:", "registry:",
                "resources.requests.cpu:", "resources.limits.memory:")) {
            assertTrue(e.getMessage().contains(field), field + " missing from: " + e.getMessage());
        }
    }

    @Test
    void longNamesAreCutToADnsLabel() {
        String name = KubernetesManifests.resourceName("m".repeat(100), 12);
        assertTrue(name.length() <= 63 && name.endsWith("-v12"), name);
    }
}
