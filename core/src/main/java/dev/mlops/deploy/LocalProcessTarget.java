package dev.mlops.deploy;

import dev.mlops.error.ConflictException;
import dev.mlops.error.InvalidInputException;
import dev.mlops.error.StorageUnavailableException;
import dev.mlops.json.Json;
import dev.mlops.serve.TrafficPolicy;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Runs each stage as a background process on 127.0.0.1, by default {@code java -jar <mlops jar>
 * serve --model M:V --port P --admin-port P+1}. Per stage, {@code ROOT/<stage>/} holds
 * {@code deployment.json}, {@code pid} and {@code server.log}. A stage is touched only by deploys to
 * that stage: a failed candidate never stops or changes production, and a canary is loaded into
 * the running production server instead of restarting it.
 */
public final class LocalProcessTarget implements DeploymentTarget {
    /** Placeholders of a command template. */
    public static final List<String> PLACEHOLDERS = List.of("{model}", "{version}", "{port}", "{adminPort}", "{stage}");

    private final Path root;
    private final List<String> command;
    private final Duration healthTimeout;
    private final String adminToken;
    private final ServerClient client = new ServerClient(Duration.ofSeconds(2));
    private final ServerAdmin admin = new ServerAdmin(client);
    private final Clock clock;

    /**
     * @param command    the command template, with {@link #PLACEHOLDERS}
     * @param adminToken bearer token of the servers' admin listener (MLOPS_ADMIN_TOKEN), or null
     */
    public LocalProcessTarget(Path root, List<String> command, Duration healthTimeout, String adminToken, Clock clock) {
        if (command == null || command.isEmpty()) {
            throw new InvalidInputException("deploy.command: empty; give the command that serves a model, e.g. java -jar mlops.jar serve --model {model}:{version} --port {port}");
        }
        this.root = root;
        this.command = List.copyOf(command);
        this.healthTimeout = healthTimeout;
        this.adminToken = adminToken;
        this.clock = clock;
    }

    /** {@code java -jar JAR serve --model {model}:{version} --port {port} --admin-port {adminPort} --log-dir ...}. */
    public static List<String> mlopsServe(Path jar, Path root) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return List.of(java, "-jar", jar.toString(), "serve", "--model", "{model}:{version}", "--port", "{port}",
                "--admin-port", "{adminPort}", "--log-dir", root.resolve("{stage}").resolve("inference").toString());
    }

    @Override
    public Deployment deploy(String model, int version, String stage, int port) {
        Optional<Deployment> running = find(stage);
        if (running.isPresent()) {
            throw new ConflictException("stage: " + stage + " already runs " + running.get().model() + ":" + running.get().version()
                    + " (pid " + running.get().pid() + "); stop it first or deploy to another stage");
        }
        return start(model, version, stage, port);
    }

    /**
     * Loads {@code canary} into the stage's running server through its admin endpoint
     * ({@code POST /admin/versions}), beside {@code primary} at weight 0: the server keeps
     * answering, and when the load fails it serves as before. With nothing running on the stage,
     * {@code primary} is started on {@code port} first.
     */
    @Override
    public Deployment deployWithCanary(String model, int primary, int canary, String stage, int port) {
        if (adminToken == null) {
            throw new InvalidInputException("MLOPS_ADMIN_TOKEN: not set; a canary needs the servers' admin listener to load the candidate"
                    + " and move traffic; export MLOPS_ADMIN_TOKEN (16+ characters) and retry");
        }
        Optional<Deployment> running = find(stage);
        if (running.isPresent() && !running.get().model().equals(model)) {
            throw new ConflictException("stage: " + stage + " runs " + running.get().model() + ":" + running.get().version()
                    + ", not " + model + "; stop it first or use another deployments folder");
        }
        Deployment production = running.orElseGet(() -> start(model, primary, stage, port));
        return admin.addCanary(production, model, primary, canary, adminToken, healthTimeout);
    }

    @Override
    public void unloadVersion(Deployment deployment, int version) {
        admin.unloadVersion(deployment, deployment.model(), version, adminToken);
    }

    @Override
    public Deployment servesNow(Deployment deployment, int version) {
        Deployment now = new Deployment(deployment.stage(), deployment.model(), version, deployment.url(), deployment.pid(),
                deployment.adminPort(), deployment.logFile(), deployment.startedAt());
        write(stageDir(deployment.stage()).resolve("deployment.json"), Json.toBytes(now));
        return now;
    }

    @Override
    public Optional<Path> inferenceLog(Deployment deployment) {
        return Optional.of(stageDir(deployment.stage()).resolve("inference"));
    }

    private Deployment start(String model, int version, String stage, int port) {
        Path dir = stageDir(stage);
        int adminPort = port + 1;
        checkFree(port, "port");
        if (adminToken != null) {
            checkFree(adminPort, "admin port");
        }
        List<String> args = new ArrayList<>();
        for (String part : command) {
            args.add(part.replace("{model}", model).replace("{version}", String.valueOf(version)).replace("{port}", String.valueOf(port))
                    .replace("{adminPort}", String.valueOf(adminPort)).replace("{stage}", stage));
        }
        Path log = dir.resolve("server.log");
        Process process;
        try {
            Files.createDirectories(dir);
            ProcessBuilder builder = new ProcessBuilder(args).redirectErrorStream(true).redirectOutput(log.toFile());
            if (adminToken != null) {
                builder.environment().put("MLOPS_ADMIN_TOKEN", adminToken);
            }
            process = builder.start();
        } catch (IOException e) {
            throw new DeployException("deploy: cannot start '" + args.get(0) + "' (" + e.getMessage() + "); check deploy.command");
        }
        URI url = URI.create("http://127.0.0.1:" + port + "/");
        Deployment deployment = new Deployment(stage, model, version, url, process.pid(), adminToken == null ? null : adminPort, log,
                clock.instant());
        long deadline = System.nanoTime() + healthTimeout.toNanos();
        while (!client.ready(url)) {
            if (!process.isAlive()) {
                throw new DeployException("deploy: " + model + ":" + version + " to " + stage + " exited with code " + process.exitValue()
                        + " before it was ready; see " + log + lastLine(log));
            }
            if (System.nanoTime() > deadline) {
                kill(process.toHandle());
                throw new DeployException("deploy: " + model + ":" + version + " to " + stage + " did not answer " + url
                        + "v2/health/ready within " + healthTimeout.toSeconds() + " s and was stopped; see " + log + lastLine(log));
            }
            sleep(100);
        }
        write(dir.resolve("pid"), String.valueOf(process.pid()).getBytes(StandardCharsets.UTF_8));
        write(dir.resolve("deployment.json"), Json.toBytes(deployment));
        return deployment;
    }

    @Override
    public Optional<Deployment> find(String stage) {
        Path file = stageDir(stage).resolve("deployment.json");
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            Deployment d = Json.fromBytes(Files.readAllBytes(file), Deployment.class);
            boolean alive = ProcessHandle.of(d.pid()).map(ProcessHandle::isAlive).orElse(false);
            return alive ? Optional.of(d) : Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    @Override
    public void stop(Deployment deployment) {
        ProcessHandle.of(deployment.pid()).ifPresent(LocalProcessTarget::kill);
        try {
            Files.deleteIfExists(stageDir(deployment.stage()).resolve("pid"));
            Files.deleteIfExists(stageDir(deployment.stage()).resolve("deployment.json"));
        } catch (IOException e) {
            throw new StorageUnavailableException("deploy: cannot clean " + stageDir(deployment.stage()) + " (" + e.getMessage() + ")");
        }
    }

    @Override
    public void setTraffic(Deployment deployment, TrafficPolicy policy) {
        admin.setTraffic(deployment, policy, adminToken);
    }

    private Path stageDir(String stage) {
        if (stage == null || !stage.matches("[a-z0-9][a-z0-9-]{0,31}")) {
            throw new InvalidInputException("stage: '" + stage + "' is not a stage name; use e.g. staging, canary or production");
        }
        return root.resolve(stage);
    }

    private static void checkFree(int port, String what) {
        if (port < 1 || port > 65535) {
            throw new InvalidInputException("port: " + port + " not in 1..65535; pass --port such as 8090");
        }
        try (ServerSocket probe = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            probe.setReuseAddress(true);
        } catch (IOException e) {
            throw new ConflictException(what + ": " + port + " on 127.0.0.1 is already in use; pick another --port or stop what listens there");
        }
    }

    private static void kill(ProcessHandle handle) {
        handle.descendants().forEach(ProcessHandle::destroy);
        handle.destroy();
        try {
            handle.onExit().get(5, java.util.concurrent.TimeUnit.SECONDS);
        } catch (Exception e) {
            handle.descendants().forEach(ProcessHandle::destroyForcibly);
            handle.destroyForcibly();
        }
    }

    private static String lastLine(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return lines.isEmpty() ? "" : " (last line: " + lines.get(lines.size() - 1) + ")";
        } catch (IOException e) {
            return "";
        }
    }

    private static void write(Path file, byte[] content) {
        try {
            Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
            Files.write(tmp, content);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new StorageUnavailableException("deploy: cannot write " + file + " (" + e.getMessage() + ")");
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DeployException("deploy: interrupted while waiting for health");
        }
    }
}
