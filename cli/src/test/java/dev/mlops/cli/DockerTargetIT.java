package dev.mlops.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import dev.mlops.deploy.DeployException;
import dev.mlops.deploy.Deployment;
import dev.mlops.deploy.DockerTarget;
import dev.mlops.error.ConflictException;
import dev.mlops.json.Json;
import dev.mlops.model.ModelSchema;
import dev.mlops.serve.TrafficPolicy;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link DockerTarget} against a real Docker engine (started by .ci/start-docker.sh, which also
 * builds the base image from Debian packages) with the real server image: the CLI fat jar this
 * module just packaged. Runs in the integration-test phase, only when MLOPS_DOCKER_TESTS=1.
 */
@EnabledIfEnvironmentVariable(named = "MLOPS_DOCKER_TESTS", matches = "1")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DockerTargetIT {
    Path work;
    final Map<String, String> env = new HashMap<>();
    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    final String namespace = "it-" + UUID.randomUUID().toString().substring(0, 8);
    final String adminToken = HexFormat.of().formatHex(UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8), 0, 16);
    DockerTarget target;
    DockerClient docker;

    String mlops(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(new Context(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                env, work, Clock.systemUTC()), args);
        assertEquals(0, code, () -> String.join(" ", args) + ": " + err);
        return out.toString(StandardCharsets.UTF_8);
    }

    /** churn:1 and churn:2: the same small trained MLP; churn:3: a version whose descriptor is damaged, so its server never gets ready. */
    @BeforeAll
    void registryAndTarget(@TempDir Path dir) throws IOException {
        work = dir;
        env.put("MLOPS_ACTOR", "tester");
        Random random = new Random(3);
        StringBuilder csv = new StringBuilder("tenure,spend,churned\n");
        for (int r = 0; r < 300; r++) {
            double a = random.nextGaussian();
            double b = random.nextGaussian();
            csv.append(String.format(Locale.ROOT, "%.3f,%.3f,%d%n", a, b, a - b > 0 ? 1 : 0));
        }
        Files.writeString(work.resolve("churn.csv"), csv);
        String run = Json.mapper().readTree(mlops("train", "--data", "churn.csv", "--label", "churned", "--param", "epochs=1", "--param", "hidden=4",
                "--json")).get("id").asText();
        mlops("register", "--model", "churn", "--from-run", run);
        mlops("register", "--model", "churn", "--from-run", run);
        Path broken = work.resolve("broken");
        new ModelSchema(ModelSchema.CLASSIFICATION, List.of("tenure", "spend"), "churned", List.of("0", "1")).write(broken);
        Files.writeString(broken.resolve("mlp.json"), "{\"format\": \"djl-mlp\", \"damaged\": true");
        mlops("register", "--model", "churn", "--path", "broken", "--format", "djl-mlp");

        String host = System.getenv("DOCKER_HOST");
        target = new DockerTarget(DockerTarget.Settings.builder().setDockerHost(host).setCliJar(Path.of(System.getProperty("mlops.cliJar")))
                .setRegistry(work.resolve(".mlops/registry").toAbsolutePath().toString()).optAdminToken(adminToken)
                .optNamespace(namespace).optMemoryBytes(768L << 20).optHealthTimeout(Duration.ofSeconds(60)).build());
        DefaultDockerClientConfig config = DefaultDockerClientConfig.createDefaultConfigBuilder().withDockerHost(host).build();
        docker = DockerClientImpl.getInstance(config, new ZerodepDockerHttpClient.Builder().dockerHost(config.getDockerHost()).build());
        long start = System.nanoTime();
        target.serverImage();
        System.out.printf("DockerTargetIT: server image ready in %.1f s%n", (System.nanoTime() - start) / 1e9);
    }

    @AfterAll
    void removeContainers() throws IOException {
        for (Container c : containers()) {
            docker.removeContainerCmd(c.getId()).withForce(true).exec();
        }
        target.close();
        docker.close();
    }

    List<Container> containers() {
        return docker.listContainersCmd().withShowAll(true).withLabelFilter(Map.of(DockerTarget.NAMESPACE, namespace)).exec();
    }

    static int freePortPair() throws IOException {
        while (true) {
            try (ServerSocket a = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                int port = a.getLocalPort();
                if (port < 65535) {
                    try (ServerSocket b = new ServerSocket(port + 1, 1, InetAddress.getLoopbackAddress())) {
                        return port;
                    } catch (IOException taken) {
                        // try another pair
                    }
                }
            }
        }
    }

    JsonNode infer(Deployment d) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(d.url() + "v2/models/churn/infer")).POST(HttpRequest.BodyPublishers.ofString(
                "{\"inputs\":[{\"name\":\"x\",\"shape\":[1,2],\"datatype\":\"FP32\",\"data\":[1.5,-0.5]}]}")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return Json.mapper().readTree(r.body());
    }

    @Test
    void deploysAContainerThatAnswersOnLoopbackThenCanariesAndStops() throws Exception {
        long start = System.nanoTime();
        Deployment d = target.deploy("churn", 1, "staging", freePortPair());
        System.out.printf("DockerTargetIT: deploy to ready in %.1f s%n", (System.nanoTime() - start) / 1e9);
        assertEquals("127.0.0.1", d.url().getHost());
        assertEquals("1", infer(d).get("model_version").asText());

        Container c = containers().get(0);
        assertEquals(List.of("churn", "1", "staging"), List.of(c.getLabels().get(DockerTarget.MODEL), c.getLabels().get(DockerTarget.VERSION),
                c.getLabels().get(DockerTarget.STAGE)));
        InspectContainerResponse inspect = docker.inspectContainerCmd(c.getId()).exec();
        assertEquals("host", inspect.getHostConfig().getNetworkMode());
        assertEquals(768L << 20, inspect.getHostConfig().getMemory());
        assertTrue(inspect.getMounts().stream().anyMatch(m -> "/var/lib/mlops/registry/blobs".equals(m.getDestination().getPath())),
                inspect.getMounts().toString());
        assertTrue(inspect.getMounts().stream().noneMatch(m -> m.getRW()), "registry mounted read-only: " + inspect.getMounts());
        assertEquals(d.url(), target.find("staging").orElseThrow().url());
        assertThrows(ConflictException.class, () -> target.deploy("churn", 2, "staging", freePortPair()), "one deployment per stage");

        Deployment canaried = target.deployWithCanary("churn", 1, 2, "staging", 0);
        assertEquals(d.url(), canaried.url(), "the stage keeps its port");
        assertEquals("1", infer(canaried).get("model_version").asText(), "the canary starts at weight 0");
        target.setTraffic(canaried, TrafficPolicy.primaryOnly("churn", 1).withCanary(2, 100));
        assertEquals("2", infer(canaried).get("model_version").asText());
        target.setTraffic(canaried, TrafficPolicy.primaryOnly("churn", 1));
        assertEquals("1", infer(canaried).get("model_version").asText());

        target.stop(canaried);
        assertTrue(target.find("staging").isEmpty());
        assertTrue(containers().stream().noneMatch(x -> "staging".equals(x.getLabels().get(DockerTarget.STAGE))), "container removed");
    }

    @Test
    void anUnhealthyVersionFailsWithItsLogsAndLeavesTheOtherStageRunning() throws Exception {
        Deployment production = target.deploy("churn", 1, "production", freePortPair());
        DeployException e = assertThrows(DeployException.class, () -> target.deploy("churn", 3, "candidate", freePortPair()));
        assertTrue(e.getMessage().contains("churn:3 to candidate exited with code"), e.getMessage());
        assertTrue(e.getMessage().contains("Last log lines:\n") && e.getMessage().length() > e.getMessage().indexOf("Last log lines:\n") + 20,
                e.getMessage());
        assertFalse(e.getMessage().contains(adminToken), "no secret in the error");
        assertTrue(target.find("candidate").isEmpty());
        assertTrue(containers().stream().noneMatch(x -> "candidate".equals(x.getLabels().get(DockerTarget.STAGE))), "nothing left of it");
        assertEquals("1", infer(production).get("model_version").asText(), "production untouched");
        target.stop(production);
    }

    @Test
    void mlopsDeployWithTargetDockerRunsTheStageInAContainer() throws Exception {
        env.put("DOCKER_HOST", System.getenv("DOCKER_HOST"));
        env.put(DeployTargets.ENV_CLI_JAR, System.getProperty("mlops.cliJar"));
        int port = freePortPair();
        try {
            mlops("deploy", "churn:2", "--stage", "production", "--target", "docker", "--port", String.valueOf(port), "--health-timeout-seconds", "60");
            Deployment d = new Deployment("production", "churn", 2, URI.create("http://127.0.0.1:" + port + "/"), -1, null, null, null);
            assertEquals("2", infer(d).get("model_version").asText());
        } finally {
            for (Container c : docker.listContainersCmd().withShowAll(true).withLabelFilter(Map.of("dev.mlops.port", String.valueOf(port))).exec()) {
                docker.removeContainerCmd(c.getId()).withForce(true).exec();
            }
        }
    }

    @Test
    void aTakenPortIsAConflictBeforeAnythingStarts() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            ConflictException e = assertThrows(ConflictException.class, () -> target.deploy("churn", 1, "busy", taken.getLocalPort()));
            assertEquals("port: " + taken.getLocalPort() + " on 127.0.0.1 is already in use; pick another --port or stop what listens there", e.getMessage());
        }
        assertTrue(containers().stream().noneMatch(x -> "busy".equals(x.getLabels().get(DockerTarget.STAGE))));
    }
}
