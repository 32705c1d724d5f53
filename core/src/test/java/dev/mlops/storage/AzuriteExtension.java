package dev.mlops.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real Azurite blob emulator for tests, one per test JVM, shared by every test class that
 * registers this extension:
 *
 * <pre>{@code @RegisterExtension static final AzuriteExtension AZURITE = new AzuriteExtension();}</pre>
 *
 * <p>Azurite is run with {@code node} from {@code <repo>/.tools/azurite}; when it is missing,
 * {@code .ci/install-azurite.sh} installs it first (from the npm registry, under a file lock so
 * parallel test JVMs install once). The process lives in the root {@link ExtensionContext.Store},
 * which closes it when the test run ends, with a JVM shutdown hook as a fallback; Azurite also
 * exits by itself when this JVM dies, because it watches its stdin pipe.
 */
public final class AzuriteExtension implements BeforeAllCallback, BeforeEachCallback {
    /** The emulator's well-known development account; not a secret. */
    public static final String ACCOUNT = "devstoreaccount1";
    public static final String ACCOUNT_KEY =
            "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(AzuriteExtension.class);
    private static final String INSTALL_SCRIPT = ".ci/install-azurite.sh";
    private static final String MAIN_JS = ".tools/azurite/node_modules/azurite/dist/src/blob/main.js";
    private static final long START_TIMEOUT_MS = 20_000;
    private static final long INSTALL_TIMEOUT_MINUTES = 10;

    private volatile Server server;

    @Override
    public void beforeAll(ExtensionContext context) {
        attach(context);
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        attach(context);
    }

    private void attach(ExtensionContext context) {
        if (server == null) {
            server = context.getRoot().getStore(NAMESPACE).computeIfAbsent(Server.class, key -> Server.start(), Server.class);
        }
    }

    /** Connection string for the emulator's development account. */
    public String connectionString() {
        return "DefaultEndpointsProtocol=http;AccountName=" + ACCOUNT + ";AccountKey=" + ACCOUNT_KEY
                + ";BlobEndpoint=" + blobEndpoint() + ";";
    }

    /** {@code http://127.0.0.1:<port>/devstoreaccount1}. */
    public String blobEndpoint() {
        return "http://127.0.0.1:" + running().port() + "/" + ACCOUNT;
    }

    /** A store on a fresh container, so tests never see each other's keys. */
    public AzureBlobArtifactStore newStore() {
        return AzureBlobArtifactStore.open(newContainerName(), "",
                Map.of(AzureBlobArtifactStore.ENV_CONNECTION_STRING, connectionString()));
    }

    /** A unique, valid container name: "t" and 16 random hex digits. */
    public static String newContainerName() {
        byte[] random = new byte[8];
        new SecureRandom().nextBytes(random);
        return "t" + HexFormat.of().formatHex(random);
    }

    private Server running() {
        Server current = server;
        if (current == null) {
            throw new IllegalStateException("AzuriteExtension is not started; register it with "
                    + "@RegisterExtension static final AzuriteExtension AZURITE = new AzuriteExtension()");
        }
        return current;
    }

    /** One Azurite process; closed by the root store at the end of the run. */
    private record Server(Process process, int port, Path dataDir, Path log, Thread shutdownHook) implements AutoCloseable {

        static Server start() {
            Path repoRoot = repoRoot();
            Path mainJs = ensureInstalled(repoRoot);
            IOException last = null;
            // A free port can be taken by someone else before Azurite binds it; try a few.
            for (int attempt = 0; attempt < 3; attempt++) {
                try {
                    Server server = launch(mainJs, freePort());
                    if (server != null) {
                        return server;
                    }
                } catch (IOException e) {
                    last = e;
                }
            }
            throw new IllegalStateException("Azurite did not start after 3 attempts; see the log printed above"
                    + (last == null ? "" : " (" + last + ")"), last);
        }

        /** Returns null if the process exited early (e.g. port taken), throws on other failures. */
        private static Server launch(Path mainJs, int port) throws IOException {
            Path dataDir = Files.createTempDirectory("azurite-");
            Path log = dataDir.resolve("azurite.log");
            // Exits Azurite when our end of its stdin pipe closes, i.e. when this JVM dies.
            Path watchdog = dataDir.resolve("exit-with-parent.js");
            Files.writeString(watchdog, "process.stdin.on('end', () => process.exit(0));"
                    + "process.stdin.on('error', () => process.exit(0));process.stdin.resume();\n");
            Path location = Files.createDirectories(dataDir.resolve("data"));
            ProcessBuilder builder = new ProcessBuilder(List.of("node", "--require", watchdog.toString(),
                    mainJs.toString(), "--blobHost", "127.0.0.1", "--blobPort", Integer.toString(port),
                    "--location", location.toString(), "--disableTelemetry", "--silent"))
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            Process process;
            try {
                process = builder.start();
            } catch (IOException e) {
                deleteTree(dataDir);
                throw new IOException("cannot run `node` (" + e.getMessage() + "); install Node.js 18+ to run the Azure tests", e);
            }
            long deadline = System.currentTimeMillis() + START_TIMEOUT_MS;
            while (System.currentTimeMillis() < deadline) {
                if (!process.isAlive()) {
                    System.err.println("Azurite exited early with " + process.exitValue() + ":\n" + readQuietly(log));
                    deleteTree(dataDir);
                    return null;
                }
                if (answers(port)) {
                    Server server = new Server(process, port, dataDir, log, new Thread(() -> stop(process, dataDir),
                            "azurite-shutdown"));
                    Runtime.getRuntime().addShutdownHook(server.shutdownHook());
                    return server;
                }
                sleep(100);
            }
            stop(process, dataDir);
            throw new IOException("Azurite did not answer on 127.0.0.1:" + port + " within " + START_TIMEOUT_MS + " ms");
        }

        @Override
        public void close() {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException alreadyShuttingDown) {
                // the hook runs anyway
            }
            stop(process, dataDir);
        }

        private static void stop(Process process, Path dataDir) {
            process.destroy();
            try {
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
            deleteTree(dataDir);
        }

        private static Path repoRoot() {
            for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
                if (Files.isRegularFile(dir.resolve(INSTALL_SCRIPT))) {
                    return dir;
                }
            }
            throw new IllegalStateException("cannot find " + INSTALL_SCRIPT + " above " + Path.of("").toAbsolutePath()
                    + "; run the tests from inside the repository");
        }

        private static Path ensureInstalled(Path repoRoot) {
            Path mainJs = repoRoot.resolve(MAIN_JS);
            if (Files.isRegularFile(mainJs)) {
                return mainJs;
            }
            try {
                Path tools = Files.createDirectories(repoRoot.resolve(".tools"));
                try (FileChannel channel = FileChannel.open(tools.resolve("azurite-install.lock"),
                        StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                     FileLock ignored = channel.lock()) {
                    if (!Files.isRegularFile(mainJs)) {
                        install(repoRoot, tools.resolve("azurite-install.log"));
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot install Azurite with " + INSTALL_SCRIPT, e);
            }
            if (!Files.isRegularFile(mainJs)) {
                throw new IllegalStateException(INSTALL_SCRIPT + " finished but " + mainJs + " is missing");
            }
            return mainJs;
        }

        private static void install(Path repoRoot, Path log) throws IOException {
            System.err.println("Azurite is not installed; running " + INSTALL_SCRIPT + " (log: " + log + ")");
            Process install = new ProcessBuilder("bash", repoRoot.resolve(INSTALL_SCRIPT).toString())
                    .directory(repoRoot.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            try {
                if (!install.waitFor(INSTALL_TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
                    install.destroyForcibly();
                    throw new IOException(INSTALL_SCRIPT + " took over " + INSTALL_TIMEOUT_MINUTES + " minutes; see " + log);
                }
            } catch (InterruptedException e) {
                install.destroyForcibly();
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while installing Azurite", e);
            }
            if (install.exitValue() != 0) {
                throw new IOException(INSTALL_SCRIPT + " failed with exit code " + install.exitValue() + ":\n"
                        + readQuietly(log));
            }
        }

        private static int freePort() throws IOException {
            try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
                return socket.getLocalPort();
            }
        }

        private static boolean answers(int port) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return true;
            } catch (IOException e) {
                return false;
            }
        }

        private static void sleep(long millis) {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for Azurite", e);
            }
        }

        private static String readQuietly(Path file) {
            try {
                return Files.readString(file, StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "(no log: " + e.getMessage() + ")";
            }
        }

        private static void deleteTree(Path dir) {
            try (Stream<Path> paths = Files.walk(dir)) {
                paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            } catch (IOException | UncheckedIOException ignored) {
                // a leftover temp folder is harmless
            }
        }
    }
}
