package dev.mlops.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.dockerjava.api.model.AccessMode;
import com.github.dockerjava.api.model.Bind;
import dev.mlops.error.InvalidInputException;
import dev.mlops.error.StorageUnavailableException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What DockerTarget decides without an engine; DockerTargetIT (cli) runs it against a real one. */
class DockerTargetTest {
    static final String TOKEN = "0123456789abcdef0123";
    @TempDir
    Path work;

    DockerTarget.Builder settings() throws IOException {
        Path jar = Files.writeString(work.resolve("mlops.jar"), "jar");
        return DockerTarget.Settings.builder().setDockerHost("unix://" + work.resolve("no-engine.sock")).setCliJar(jar)
                .setRegistry(work.resolve("registry").toString());
    }

    @Test
    void rejectsSettingsItCannotDeployWithNamingTheField() throws IOException {
        assertEquals("registry: 'reg' must be an absolute folder for a Docker target (it is bind-mounted); resolve it first",
                assertThrows(InvalidInputException.class, () -> settings().setRegistry("reg").build()).getMessage());
        assertTrue(assertThrows(InvalidInputException.class, () -> settings().setCliJar(work.resolve("missing.jar")).build()).getMessage()
                .startsWith("docker.cliJar: "));
        assertTrue(assertThrows(InvalidInputException.class, () -> settings().setDockerHost(null).build()).getMessage()
                .startsWith("docker host: missing; set DOCKER_HOST"));
        assertTrue(assertThrows(InvalidInputException.class, () -> settings().optMemoryBytes(1 << 20).build()).getMessage()
                .startsWith("docker.memory: "));
        assertThrows(InvalidInputException.class, () -> settings().optAdminToken("short").build());
    }

    @Test
    void passesOnlyTheAzureCredentialsAndNeverPrintsThem() throws IOException {
        DockerTarget.Settings s = settings().setRegistry("azblob://models/prod").optAdminToken(TOKEN)
                .optEnv(Map.of("AZURE_STORAGE_CONNECTION_STRING", "AccountKey=secret", "HOME", "/root")).build();
        assertEquals(Map.of("AZURE_STORAGE_CONNECTION_STRING", "AccountKey=secret"), s.registryEnv());
        assertFalse(s.toString().contains("secret") || s.toString().contains(TOKEN), s.toString());
        assertEquals(Map.of(), settings().optEnv(Map.of("AZURE_STORAGE_CONNECTION_STRING", "x")).build().registryEnv(), "local registry: none");
    }

    @Test
    void bindsTheRegistryContentReadOnlyButNotItsTempAndLockFolders() throws IOException {
        Path registry = work.resolve("registry");
        for (String dir : List.of("blobs", "models", "audit", ".tmp", ".locks")) {
            Files.createDirectories(registry.resolve(dir));
        }
        List<Bind> binds = DockerTarget.registryBinds(registry);
        assertEquals(List.of("/var/lib/mlops/registry/audit", "/var/lib/mlops/registry/blobs", "/var/lib/mlops/registry/models"),
                binds.stream().map(b -> b.getVolume().getPath()).toList());
        assertTrue(binds.stream().allMatch(b -> b.getAccessMode() == AccessMode.ro));
    }

    @Test
    void theServerImageServesFromTheProjectsBaseImage() {
        String dockerfile = DockerTarget.dockerfile("mlops/base-jre:bookworm");
        assertTrue(dockerfile.startsWith("FROM mlops/base-jre:bookworm\nCOPY mlops.jar /opt/mlops/mlops.jar\n"), dockerfile);
        assertTrue(dockerfile.contains("\"-jar\", \"/opt/mlops/mlops.jar\", \"serve\"]"), dockerfile);
    }

    @Test
    void servesOnLoopbackWithTheAdminListenerAndTheCanaryAtWeightZero() throws IOException {
        try (DockerTarget target = new DockerTarget(settings().optAdminToken(TOKEN).build())) {
            assertEquals(List.of("--model", "churn:1", "--host", "127.0.0.1", "--port", "8090", "--registry", "/var/lib/mlops/registry",
                    "--log-dir", "/var/lib/mlops/logs", "--cache-dir", "/var/lib/mlops/cache", "--admin-port", "8091",
                    "--canary", "churn:2", "--canary-weight", "0"), target.serveArgs("churn", 1, 2, 8090, 8091));
        }
    }

    @Test
    void anEngineThatIsNotRunningNamesTheScriptThatStartsIt() throws IOException {
        try (DockerTarget target = new DockerTarget(settings().build())) {
            StorageUnavailableException e = assertThrows(StorageUnavailableException.class, () -> target.find("staging"));
            assertTrue(e.getMessage().contains("is the engine running? Start it with .ci/start-docker.sh"), e.getMessage());
        }
    }
}
