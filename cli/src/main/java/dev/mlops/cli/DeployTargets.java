package dev.mlops.cli;

import dev.mlops.deploy.DeploymentTarget;
import dev.mlops.deploy.DockerTarget;
import dev.mlops.error.InvalidInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.function.Supplier;

/** The --target of deploy and rollback: "local" (background processes) or "docker" (containers on $DOCKER_HOST). */
final class DeployTargets {
    static final String LOCAL = "local";
    static final String DOCKER = "docker";
    static final String DESCRIPTION = "local (a background process) or docker (a container on the engine at $DOCKER_HOST, built from the "
            + "project's own base image; see .ci/start-docker.sh) (default: ${DEFAULT-VALUE})";
    /** Where the mlops fat jar copied into the server image is, when this command does not run from it. */
    static final String ENV_CLI_JAR = "MLOPS_CLI_JAR";

    private DeployTargets() {
    }

    /**
     * @param registryUri the registry the servers read, as this command resolved it
     * @param root        the deployments folder: local stage folders, Docker inference logs
     */
    static DeploymentTarget create(String kind, Context context, String registryUri, Path root, Duration healthTimeout,
                                   Supplier<DeploymentTarget> local) {
        if (LOCAL.equals(kind)) {
            return local.get();
        }
        if (!DOCKER.equals(kind)) {
            throw new InvalidInputException("--target: '" + kind + "' is not a deployment target; use local or docker");
        }
        String host = context.env().get("DOCKER_HOST");
        if (host == null || host.isBlank()) {
            throw new InvalidInputException("DOCKER_HOST: not set; start an engine (.ci/start-docker.sh prints its address) and export "
                    + "DOCKER_HOST=unix:///tmp/mlops-docker/docker.sock");
        }
        String registry = registryUri.startsWith("azblob:") ? registryUri
                : context.workingDir().resolve(registryUri.startsWith("file:") ? registryUri.substring("file:".length()) : registryUri)
                        .toAbsolutePath().normalize().toString();
        return new DockerTarget(DockerTarget.Settings.builder().setDockerHost(host).setCliJar(cliJar(context)).setRegistry(registry)
                .optHealthTimeout(healthTimeout).optAdminToken(context.env().get("MLOPS_ADMIN_TOKEN")).optEnv(context.env())
                .optNamespace(namespace(root.toAbsolutePath().normalize())).optLogRoot(root).optClock(context.clock()).build());
    }

    private static Path cliJar(Context context) {
        String fromEnv = context.env().get(ENV_CLI_JAR);
        if (fromEnv != null && !fromEnv.isBlank()) {
            return context.workingDir().resolve(fromEnv);
        }
        try {
            Path running = Path.of(DeployTargets.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (Files.isRegularFile(running)) {
                return running;
            }
        } catch (Exception e) {
            // fall through to the message below
        }
        throw new InvalidInputException(ENV_CLI_JAR + ": not set and this mlops does not run from its jar; set it to cli/target/mlops-<version>.jar "
                + "(the server image is built from it)");
    }

    /** One namespace per deployments folder, so two folders on one engine never see each other's stages. */
    private static String namespace(Path root) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(root.toString().getBytes(StandardCharsets.UTF_8));
            return "d" + HexFormat.of().formatHex(digest, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
