package dev.mlops;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * Runs the library resource Fetch.java exactly as agents do, `java Fetch.java URL DEST [SHA256]`, as a
 * real subprocess against a real HTTP server on 127.0.0.1.
 */
public class FetchTest {

    static final Path FETCH = Path.of("resources/dev/mlops/Fetch.java").toAbsolutePath();
    static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    HttpServer server;
    byte[] jar;
    String sha;
    Path cache;

    record Run(int exitCode, String stdout, String stderr) {
    }

    @Before
    public void startServer() throws Exception {
        jar = new byte[700_000];
        new Random(42).nextBytes(jar);
        sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(jar));
        cache = tmp.newFolder("cache", "cli", "0.1.0").toPath();

        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/x.jar", exchange -> send(exchange, 200, jar));
        server.createContext("/moved.jar", exchange -> {
            exchange.getResponseHeaders().add("Location", "/x.jar");
            send(exchange, 302, new byte[0]);
        });
        server.createContext("/private.jar", exchange -> {
            String expected = "Basic " + Base64.getEncoder().encodeToString("ci:s3cret".getBytes(StandardCharsets.UTF_8));
            boolean authorized = expected.equals(exchange.getRequestHeaders().getFirst("Authorization"));
            send(exchange, authorized ? 200 : 401, authorized ? jar : new byte[0]);
        });
        server.start();
    }

    @After
    public void stopServer() {
        server.stop(0);
    }

    @Test
    public void downloadsVerifiesAndRenamesIntoPlace() throws Exception {
        Path dest = cache.resolve("mlops-0.1.0.jar");

        Run run = fetch(Map.of(), url("/x.jar"), dest.toString(), sha);

        assertEquals(run.toString(), 0, run.exitCode());
        assertArrayEquals(jar, Files.readAllBytes(dest));
        assertEquals("only the jar is left, no temporary file", List.of(dest), list(cache));
        assertTrue(run.stdout(), run.stdout().contains("Fetch: 10% "));
        assertTrue(run.stdout(), run.stdout().contains("Fetch: 100% (700000 of 700000 bytes)"));
        assertTrue(run.stdout(), run.stdout().contains(sha + ", verified"));
    }

    @Test
    public void wrongShaLeavesNoFileAndFails() throws Exception {
        Path dest = cache.resolve("mlops-0.1.0.jar");
        String wrong = "0".repeat(64);

        Run run = fetch(Map.of(), url("/x.jar"), dest.toString(), wrong);

        assertEquals(run.toString(), 3, run.exitCode());
        assertFalse(Files.exists(dest));
        assertEquals("the partial download is deleted", List.of(), list(cache));
        assertTrue(run.stderr(), run.stderr().contains("SHA-256 mismatch"));
        assertTrue(run.stderr(), run.stderr().contains("expected " + wrong + ", got " + sha));
    }

    @Test
    public void withoutShaDownloadsUnverified() throws Exception {
        Path dest = cache.resolve("mlops-0.1.0.jar");

        Run run = fetch(Map.of(), url("/x.jar"), dest.toString());

        assertEquals(run.toString(), 0, run.exitCode());
        assertArrayEquals(jar, Files.readAllBytes(dest));
        assertTrue(run.stdout(), run.stdout().contains("not verified"));
    }

    @Test
    public void createsTheCacheFolderAndFollowsRedirects() throws Exception {
        Path dest = tmp.getRoot().toPath().resolve("fresh/cli/0.1.0/mlops-0.1.0.jar");

        Run run = fetch(Map.of(), url("/moved.jar"), dest.toString(), sha);

        assertEquals(run.toString(), 0, run.exitCode());
        assertArrayEquals(jar, Files.readAllBytes(dest));
    }

    @Test
    public void httpErrorLeavesNoFile() throws Exception {
        Path dest = cache.resolve("mlops-0.1.0.jar");

        Run run = fetch(Map.of(), url("/missing.jar"), dest.toString(), sha);

        assertEquals(run.toString(), 1, run.exitCode());
        assertEquals(List.of(), list(cache));
        assertTrue(run.stderr(), run.stderr().contains("HTTP 404"));
    }

    @Test
    public void sendsBasicAuthFromTheEnvironment() throws Exception {
        Path dest = cache.resolve("mlops-0.1.0.jar");

        Run denied = fetch(Map.of(), url("/private.jar"), dest.toString(), sha);
        assertEquals(denied.toString(), 1, denied.exitCode());
        assertTrue(denied.stderr(), denied.stderr().contains("MLOPS_CLI_USER"));

        Run allowed = fetch(Map.of("MLOPS_CLI_USER", "ci", "MLOPS_CLI_PASSWORD", "s3cret"), url("/private.jar"), dest.toString(), sha);
        assertEquals(allowed.toString(), 0, allowed.exitCode());
        assertArrayEquals(jar, Files.readAllBytes(dest));
        assertFalse("the password never reaches the log", (allowed.stdout() + allowed.stderr()).contains("s3cret"));
    }

    @Test
    public void rejectsAMalformedSha() throws Exception {
        Run run = fetch(Map.of(), url("/x.jar"), cache.resolve("mlops-0.1.0.jar").toString(), "abc");

        assertEquals(run.toString(), 2, run.exitCode());
        assertTrue(run.stderr(), run.stderr().contains("64 hex digits"));
        assertEquals(List.of(), list(cache));
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    Run fetch(Map<String, String> env, String... args) throws Exception {
        // C1 only: the in-memory compile of Fetch.java starts faster; the program and its arguments are as on agents
        List<String> command = new ArrayList<>(List.of(JAVA, "-XX:TieredStopAtLevel=1", FETCH.toString()));
        command.addAll(List.of(args));
        File out = tmp.newFile();
        File err = tmp.newFile();
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out).redirectError(err);
        builder.environment().keySet().removeIf(name -> name.startsWith("MLOPS_CLI_"));
        builder.environment().putAll(env);
        Process process = builder.start();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("Fetch.java did not finish in 120 s");
        }
        return new Run(process.exitValue(), Files.readString(out.toPath()), Files.readString(err.toPath()));
    }

    static List<Path> list(Path dir) throws IOException {
        try (var files = Files.list(dir)) {
            return files.sorted().toList();
        }
    }

    static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }
}
