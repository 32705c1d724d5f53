package dev.mlops.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mlops.error.InvalidInputException;
import dev.mlops.error.NotFoundException;
import dev.mlops.registry.Caller;
import dev.mlops.registry.ModelRegistry;
import dev.mlops.registry.RegisterRequest;
import dev.mlops.storage.LocalArtifactStore;
import dev.mlops.storage.TransferListener;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Serving straight from a real (local-folder) registry: aliases resolved, versions downloaded and verified, then served. */
class RegistryPlanTest {
    @TempDir
    Path dir;
    ModelRegistry registry;

    @BeforeEach
    void registerThreeVersions() throws IOException {
        registry = new ModelRegistry(new LocalArtifactStore(dir.resolve("registry")), Clock.systemUTC());
        Caller caller = new Caller("tester", null);
        for (int v = 1; v <= 3; v++) {
            Path model = dir.resolve("model-" + v);
            Files.createDirectories(model);
            Files.writeString(model.resolve("version.txt"), Integer.toString(v));
            registry.register(new RegisterRequest("churn", List.of(model), v == 3 ? "onnx" : "djl-mlp", null, Map.of(), Map.of(), Map.of(),
                    null, "test"), caller, TransferListener.NONE);
        }
        registry.setAlias("churn", "production", 1, null, caller, "test");
    }

    @AfterEach
    void close() {
        registry.close();
    }

    @Test
    void resolvesAliasesAndPlansCanaryAndShadow() {
        Path cache = dir.resolve("cache");
        RegistryPlan plan = RegistryPlan.resolve(registry, ServeRequest.of(cache, "churn@production").withCanary("churn:2", 25)
                .withShadow("churn:3").withCohortHeader("x-cohort").withSeed(9));
        assertEquals(List.of(new ModelSpec("churn", 1, cache.resolve("churn/1"), "mlops_djl-mlp"),
                new ModelSpec("churn", 2, cache.resolve("churn/2"), "mlops_djl-mlp"),
                new ModelSpec("churn", 3, cache.resolve("churn/3"), "onnxruntime_onnx")), plan.models());
        assertEquals(List.of(TrafficPolicy.primaryOnly("churn", 1).withCanary(2, 25).withShadow(3).withCohortHeader("x-cohort").withSeed(9)),
                plan.policies());
    }

    @Test
    void theServerDownloadsVerifiedVersionsAndServesThem() {
        RegistryPlan plan = RegistryPlan.resolve(registry, ServeRequest.of(dir.resolve("cache"), "churn@production").withCanary("churn:2", 100));
        PredictorFactory loader = d -> {
            try {
                return new TestModels.Linear(Integer.parseInt(Files.readString(d.resolve("version.txt"))));
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        };
        try (ModelServer server = ModelServer.start(plan.applyTo(ServerConfig.builder().optPort(0)).build(),
                plan.factory(registry, loader, TransferListener.NONE))) {
            server.awaitReady(Duration.ofSeconds(10));
            Http http = new Http(server);
            assertEquals("2", http.post("/v2/models/churn/infer", Http.row(1, 2, 3)).json().get("model_version").asText());
            assertEquals("1", http.post("/v2/models/churn/versions/1/infer", Http.row(1, 2, 3)).json().get("model_version").asText());
        }
        assertTrue(Files.isRegularFile(dir.resolve("cache/churn/2/version.txt")));
    }

    @Test
    void candidatesMustBeVersionsOfAServedModel() {
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> RegistryPlan.resolve(registry, ServeRequest.of(dir, "churn").withShadow("fraud:1")));
        assertEquals("shadow: fraud:1 is not a version of a served model (churn); a shadow must be another version of the same model, "
                + "e.g. --shadow churn:4", e.getMessage());
        assertThrows(NotFoundException.class, () -> RegistryPlan.resolve(registry, ServeRequest.of(dir, "churn@staging")));
        assertThrows(InvalidInputException.class, () -> RegistryPlan.resolve(registry, ServeRequest.of(dir, "churn:1").withCanary("churn:1", 10)),
                "a canary equal to the primary is refused by the policy");
    }
}
