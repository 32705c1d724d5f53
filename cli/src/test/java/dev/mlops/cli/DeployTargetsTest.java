package dev.mlops.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `--target` of deploy and rollback; the Docker target itself runs in DockerTargetIT. */
class DeployTargetsTest {
    @TempDir
    Path work;
    final Map<String, String> env = new HashMap<>(Map.of("MLOPS_ACTOR", "tester"));
    final ByteArrayOutputStream err = new ByteArrayOutputStream();

    int mlops(String... args) {
        return Main.run(new Context(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), env, work, Clock.systemUTC()), args);
    }

    @Test
    void anUnknownTargetIsBadInputNamingTheChoices() {
        assertEquals(2, mlops("deploy", "churn:1", "--target", "k8s"));
        assertTrue(err.toString().contains("--target: 'k8s' is not a deployment target; use local or docker"), err.toString());
    }

    @Test
    void theDockerTargetNeedsAnEngineAddress() {
        assertEquals(2, mlops("deploy", "churn:1", "--stage", "production", "--target", "docker"));
        assertTrue(err.toString().contains("DOCKER_HOST: not set; start an engine (.ci/start-docker.sh prints its address)"), err.toString());
    }
}
