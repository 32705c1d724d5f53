/*
 * Downloads one file (the mlops CLI jar) using only a Java 11+ runtime (no Java 17 API on purpose), so an agent needs no curl,
 * wget or PowerShell. Shipped as a shared-library resource; mlopsCli writes it next to the cache
 * and runs it in single-file source mode:
 *
 *   java Fetch.java URL DEST [SHA256]
 *
 * - Streams to a temporary file in DEST's folder, then renames it onto DEST atomically, so DEST is
 *   either absent or complete: never a partial download, even when two builds fetch at once.
 * - With SHA256 (64 hex digits), refuses a download whose SHA-256 differs: the temporary file is
 *   deleted and DEST is left untouched.
 * - Prints progress every 10% when the server sends Content-Length (every 10 MiB otherwise).
 * - Follows up to 5 redirects. Basic auth from env MLOPS_CLI_USER + MLOPS_CLI_PASSWORD, or a bearer
 *   token from env MLOPS_CLI_TOKEN; the Authorization header is dropped when a redirect leaves the
 *   original host (for example Artifactory/Nexus redirecting to a pre-signed object-store URL).
 * - Never prints the URL's user info or query string (they may carry tokens).
 *
 * Exit codes: 0 saved, 1 download or I/O failure, 2 bad usage, 3 SHA-256 mismatch.
 */

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;

public class Fetch {

    static final int OK = 0;
    static final int FAILED = 1;
    static final int USAGE = 2;
    static final int MISMATCH = 3;

    static final int MAX_REDIRECTS = 5;
    static final long UNKNOWN_LENGTH_STEP = 10L * 1024 * 1024;

    public static void main(String[] args) {
        if (args.length < 2 || args.length > 3) {
            System.err.println("usage: java Fetch.java URL DEST [SHA256]");
            System.exit(USAGE);
        }
        String expected = args.length == 3 ? args[2].trim().toLowerCase(Locale.ROOT) : "";
        if (!expected.isEmpty() && !expected.matches("[0-9a-f]{64}")) {
            System.err.println("Fetch: SHA256 must be 64 hex digits, got '" + args[2] + "'");
            System.exit(USAGE);
        }
        URI uri;
        try {
            uri = URI.create(args[0].trim());
        } catch (IllegalArgumentException e) {
            System.err.println("Fetch: not a URL: " + e.getMessage());
            System.exit(USAGE);
            return;
        }
        if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
            System.err.println("Fetch: URL must start with http:// or https://, got " + safe(uri));
            System.exit(USAGE);
        }
        if (Runtime.version().feature() < 17) {
            System.out.println("Fetch: warning: this agent runs Java " + Runtime.version().feature()
                    + "; the mlops CLI needs Java 17 or newer");
        }
        System.exit(fetch(uri, Path.of(args[1]).toAbsolutePath(), expected));
    }

    static int fetch(URI uri, Path dest, String expectedSha) {
        Path tmp = null;
        try {
            Files.createDirectories(dest.getParent());
            tmp = Files.createTempFile(dest.getParent(), "." + dest.getFileName() + ".", ".part");
            System.out.println("Fetch: downloading " + safe(uri) + " -> " + dest);
            String actual = download(uri, tmp);
            if (!expectedSha.isEmpty() && !expectedSha.equals(actual)) {
                System.err.println("Fetch: SHA-256 mismatch for " + safe(uri) + ": expected " + expectedSha
                        + ", got " + actual + ". Nothing was saved; check MLOPS_CLI_URL and MLOPS_CLI_SHA256.");
                return MISMATCH;
            }
            readableByAll(tmp);
            move(tmp, dest);
            tmp = null;
            System.out.println("Fetch: saved " + dest + " (sha256 " + actual
                    + (expectedSha.isEmpty() ? ", not verified: no SHA256 given)" : ", verified)"));
            return OK;
        } catch (IOException e) {
            System.err.println("Fetch: failed to download " + safe(uri) + ": " + e.getMessage());
            return FAILED;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            System.err.println("Fetch: interrupted");
            return FAILED;
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException e) {
                    System.err.println("Fetch: could not delete " + tmp + ": " + e.getMessage());
                }
            }
        }
    }

    /** Streams the body of {@code uri} into {@code target} and returns its SHA-256 in lower-case hex. */
    static String download(URI start, Path target) throws IOException, InterruptedException {
        HttpClient client = HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(30))
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        Optional<String> auth = authorization();
        URI uri = start;
        for (int hop = 0; ; hop++) {
            HttpRequest.Builder request = HttpRequest.newBuilder(uri).GET();
            if (auth.isPresent() && sameOrigin(start, uri)) {
                request.header("Authorization", auth.get());
            }
            HttpResponse<InputStream> response = client.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
            int status = response.statusCode();
            if (status >= 300 && status < 400 && response.headers().firstValue("Location").isPresent()) {
                response.body().close();
                if (hop == MAX_REDIRECTS) {
                    throw new IOException("more than " + MAX_REDIRECTS + " redirects");
                }
                uri = uri.resolve(response.headers().firstValue("Location").get());
                continue;
            }
            if (status != 200) {
                response.body().close();
                throw new IOException("HTTP " + status + " from " + safe(uri)
                        + (status == 401 || status == 403 ? " (set MLOPS_CLI_USER and MLOPS_CLI_PASSWORD, or MLOPS_CLI_TOKEN)" : ""));
            }
            long length = response.headers().firstValueAsLong("Content-Length").orElse(-1L);
            try (InputStream in = response.body(); OutputStream out = Files.newOutputStream(target)) {
                return copy(in, out, length);
            }
        }
    }

    static String copy(InputStream in, OutputStream out, long length) throws IOException {
        MessageDigest sha = sha256();
        byte[] buffer = new byte[64 * 1024];
        long done = 0;
        long nextReport = length > 0 ? 1 : UNKNOWN_LENGTH_STEP; // tenths when the length is known
        for (int n; (n = in.read(buffer)) != -1; ) {
            out.write(buffer, 0, n);
            sha.update(buffer, 0, n);
            done += n;
            if (length > 0) {
                while (nextReport <= 10 && done * 10 >= nextReport * length) {
                    System.out.println("Fetch: " + nextReport * 10 + "% (" + done + " of " + length + " bytes)");
                    nextReport++;
                }
            } else if (done >= nextReport) {
                System.out.println("Fetch: " + done / (1024 * 1024) + " MiB");
                nextReport += UNKNOWN_LENGTH_STEP;
            }
        }
        if (length > 0 && done != length) {
            throw new IOException("connection closed after " + done + " of " + length + " bytes");
        }
        StringBuilder hex = new StringBuilder(64);
        for (byte b : sha.digest()) {
            hex.append(Character.forDigit((b >> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
        }
        return hex.toString();
    }

    static void move(Path tmp, Path dest) throws IOException {
        try {
            Files.move(tmp, dest, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, dest, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Temporary files are created owner-only; a cached jar may be shared by several agent users. */
    static void readableByAll(Path file) throws IOException {
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system (Windows): the folder's ACL applies
        }
    }

    static Optional<String> authorization() {
        String user = System.getenv("MLOPS_CLI_USER");
        String password = System.getenv("MLOPS_CLI_PASSWORD");
        String token = System.getenv("MLOPS_CLI_TOKEN");
        if (user != null && !user.isEmpty() && password != null) {
            String pair = user + ":" + password;
            return Optional.of("Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8)));
        }
        if (token != null && !token.isEmpty()) {
            return Optional.of("Bearer " + token);
        }
        return Optional.empty();
    }

    static boolean sameOrigin(URI a, URI b) {
        return a.getScheme().equalsIgnoreCase(b.getScheme())
                && String.valueOf(a.getHost()).equalsIgnoreCase(String.valueOf(b.getHost()))
                && a.getPort() == b.getPort();
    }

    /** The URL without user info or query, safe for a build log. */
    static String safe(URI uri) {
        return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() == -1 ? "" : ":" + uri.getPort())
                + (uri.getRawPath() == null ? "" : uri.getRawPath());
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
