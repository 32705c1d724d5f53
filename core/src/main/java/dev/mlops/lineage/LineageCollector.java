package dev.mlops.lineage;

import dev.mlops.error.InvalidInputException;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.Status;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;

/** Captures lineage from the working directory (JGit), the data files and the CI environment. */
public final class LineageCollector {
    private final Clock clock;

    public LineageCollector(Clock clock) {
        this.clock = clock;
    }

    public Lineage collect(Path workingDir, List<Path> datasets, Map<String, String> env) {
        List<DatasetFingerprint> fingerprints = new ArrayList<>();
        for (Path dataset : datasets) {
            fingerprints.add(fingerprint(workingDir, dataset));
        }
        return new Lineage(git(workingDir), fingerprints, build(env), null, user(env), clock.instant());
    }

    /** Git state of the repository containing {@code dir}, or null outside a repository. */
    public static GitInfo git(Path dir) {
        FileRepositoryBuilder builder = new FileRepositoryBuilder().readEnvironment().findGitDir(dir.toAbsolutePath().toFile());
        if (builder.getGitDir() == null) {
            return null;
        }
        try (Repository repository = builder.build(); Git git = new Git(repository)) {
            ObjectId head = repository.resolve("HEAD");
            Status status = git.status().call();
            String remote = repository.getConfig().getString("remote", "origin", "url");
            return new GitInfo(head == null ? null : head.name(), repository.getBranch(),
                    status.hasUncommittedChanges(), stripCredentials(remote));
        } catch (IOException | GitAPIException e) {
            return new GitInfo(null, null, true, null);
        }
    }

    /** Removes user:password from URL remotes; scp-like remotes (git@host:path) carry no secret. */
    public static String stripCredentials(String remote) {
        if (remote == null || !remote.contains("://")) {
            return remote;
        }
        try {
            URI uri = new URI(remote);
            if (uri.getRawUserInfo() == null) {
                return remote;
            }
            return new URI(uri.getScheme(), null, uri.getHost(), uri.getPort(), uri.getPath(), null, null).toString();
        } catch (URISyntaxException e) {
            return remote.replaceFirst("://[^@/]*@", "://");
        }
    }

    public static DatasetFingerprint fingerprint(Path workingDir, Path dataset) {
        Path file = workingDir.resolve(dataset);
        if (!Files.isRegularFile(file)) {
            throw new InvalidInputException("dataset: " + dataset + " is not a readable file; pass an existing data file with --dataset");
        }
        boolean csv = file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".csv");
        try (InputStream raw = Files.newInputStream(file);
             DigestInputStream in = new DigestInputStream(new BufferedInputStream(raw, 1 << 16), MessageDigest.getInstance("SHA-256"))) {
            byte[] buffer = new byte[1 << 16];
            long lines = 0;
            long size = 0;
            int lastByte = '\n';
            int n;
            while ((n = in.read(buffer)) > 0) {
                size += n;
                if (csv) {
                    for (int i = 0; i < n; i++) {
                        if (buffer[i] == '\n') {
                            lines++;
                        }
                    }
                    lastByte = buffer[n - 1];
                }
            }
            if (csv && size > 0 && lastByte != '\n') {
                lines++;
            }
            Long rows = csv ? Math.max(0, lines - 1) : null; // header line is not a row
            Path absolute = file.toAbsolutePath().normalize();
            Path base = workingDir.toAbsolutePath().normalize();
            String shown = absolute.startsWith(base) ? base.relativize(absolute).toString().replace('\\', '/') : absolute.toString();
            return new DatasetFingerprint(shown, HexFormat.of().formatHex(in.getMessageDigest().digest()), size, rows);
        } catch (IOException e) {
            throw new InvalidInputException("dataset: cannot read " + dataset + " (" + e.getMessage() + "); check the path and permissions");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The CI build from well-known environment variables of Jenkins and other CI systems. */
    public static BuildInfo build(Map<String, String> env) {
        if (env.containsKey("JENKINS_URL") || env.containsKey("BUILD_URL") && env.containsKey("JOB_NAME")) {
            return new BuildInfo("jenkins", env.get("BUILD_URL"), env.get("JOB_NAME"), env.get("BUILD_NUMBER"),
                    pick(env, "NODE_NAME", "BUILD_TAG", "GIT_COMMIT", "CHANGE_ID"));
        }
        if ("true".equals(env.get("GITHUB_ACTIONS"))) {
            String url = env.get("GITHUB_SERVER_URL") + "/" + env.get("GITHUB_REPOSITORY") + "/actions/runs/" + env.get("GITHUB_RUN_ID");
            return new BuildInfo("github-actions", url, env.get("GITHUB_WORKFLOW"), env.get("GITHUB_RUN_NUMBER"),
                    pick(env, "GITHUB_SHA", "GITHUB_REF"));
        }
        if (env.containsKey("GITLAB_CI")) {
            return new BuildInfo("gitlab", env.get("CI_JOB_URL"), env.get("CI_PROJECT_PATH") + ":" + env.get("CI_JOB_NAME"),
                    env.get("CI_PIPELINE_IID"), pick(env, "CI_COMMIT_SHA"));
        }
        if (env.containsKey("TF_BUILD")) {
            String url = env.get("SYSTEM_COLLECTIONURI") + env.get("SYSTEM_TEAMPROJECT") + "/_build/results?buildId=" + env.get("BUILD_BUILDID");
            return new BuildInfo("azure-devops", url, env.get("BUILD_DEFINITIONNAME"), env.get("BUILD_BUILDNUMBER"),
                    pick(env, "BUILD_SOURCEVERSION"));
        }
        if (env.containsKey("CIRCLECI")) {
            return new BuildInfo("circleci", env.get("CIRCLE_BUILD_URL"), env.get("CIRCLE_JOB"), env.get("CIRCLE_BUILD_NUM"),
                    pick(env, "CIRCLE_SHA1"));
        }
        return BuildInfo.LOCAL;
    }

    /** Who acts: MLOPS_ACTOR, else the Jenkins user (build-user-vars), else the OS user. */
    public static String user(Map<String, String> env) {
        for (String key : List.of("MLOPS_ACTOR", "BUILD_USER_ID", "GITLAB_USER_LOGIN", "GITHUB_ACTOR", "USER", "USERNAME")) {
            String value = env.get(key);
            if (value != null && !value.isBlank()) {
                return value;
            }
        }
        return System.getProperty("user.name", "unknown");
    }

    private static Map<String, String> pick(Map<String, String> env, String... keys) {
        Map<String, String> picked = new LinkedHashMap<>();
        for (String key : keys) {
            if (env.get(key) != null) {
                picked.put(key, env.get(key));
            }
        }
        return picked;
    }
}
