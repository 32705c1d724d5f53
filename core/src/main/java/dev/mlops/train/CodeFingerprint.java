package dev.mlops.train;

import dev.mlops.error.InvalidInputException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.Status;
import org.eclipse.jgit.api.StatusCommand;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.treewalk.TreeWalk;

/**
 * The state of code paths, for the reuse key. Inside a git repository each path maps to its object
 * id at HEAD ({@code tree:<id>} for a folder, {@code blob:<id>} for a file, {@code absent} when HEAD
 * lacks it), followed by {@code dirty:<sha256>} when it has uncommitted changes: a hash over the
 * paths and contents of the modified, added, deleted and untracked files, so a run with uncommitted
 * edits is never reused for different edits. Outside a repository it is {@code files:<sha256>} over
 * every file under the path. Files under {@code excluded} (the run store) are ignored.
 */
public final class CodeFingerprint {
    private CodeFingerprint() {
    }

    public static Map<String, String> of(Path workingDir, List<String> codePaths, Path excluded) {
        Map<String, String> state = new LinkedHashMap<>();
        if (codePaths.isEmpty()) {
            return state;
        }
        FileRepositoryBuilder builder = new FileRepositoryBuilder().findGitDir(workingDir.toAbsolutePath().toFile());
        if (builder.getGitDir() == null) {
            for (String path : codePaths) {
                state.put(path, filesHash(workingDir.resolve(path).normalize(), excluded));
            }
            return state;
        }
        try (Repository repository = builder.build(); Git git = new Git(repository)) {
            Path top = real(repository.getWorkTree().toPath());
            String excludedPrefix = excluded == null || !real(excluded).startsWith(top) ? null : relative(top, real(excluded));
            ObjectId head = repository.resolve("HEAD^{tree}");
            for (String path : codePaths) {
                Path absolute = real(workingDir.resolve(path).normalize());
                if (!absolute.startsWith(top)) {
                    throw new InvalidInputException("code-path: " + path + " is outside the git repository " + top
                            + "; pass a path inside it");
                }
                String inRepo = relative(top, absolute);
                state.put(path, objectId(repository, head, inRepo) + dirty(git, top, inRepo, excludedPrefix));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the git repository of " + workingDir, e);
        } catch (GitAPIException e) {
            throw new IllegalStateException("git status failed in " + workingDir + ": " + e.getMessage(), e);
        }
        return state;
    }

    private static String objectId(Repository repository, ObjectId headTree, String path) throws IOException {
        if (headTree == null) {
            return "absent";
        }
        if (path.isEmpty()) {
            return "tree:" + headTree.name();
        }
        try (TreeWalk walk = TreeWalk.forPath(repository, path, headTree)) {
            if (walk == null) {
                return "absent";
            }
            return (walk.getFileMode(0) == FileMode.TREE ? "tree:" : "blob:") + walk.getObjectId(0).name();
        }
    }

    private static String dirty(Git git, Path top, String path, String excludedPrefix) throws GitAPIException, IOException {
        StatusCommand command = git.status();
        if (!path.isEmpty()) {
            command.addPath(path);
        }
        Status status = command.call();
        TreeSet<String> changed = new TreeSet<>();
        changed.addAll(status.getAdded());
        changed.addAll(status.getChanged());
        changed.addAll(status.getModified());
        changed.addAll(status.getRemoved());
        changed.addAll(status.getMissing());
        changed.addAll(status.getUntracked());
        changed.addAll(status.getConflicting());
        if (excludedPrefix != null) {
            changed.removeIf(file -> file.equals(excludedPrefix) || file.startsWith(excludedPrefix + "/"));
        }
        if (changed.isEmpty()) {
            return "";
        }
        MessageDigest digest = sha256();
        for (String file : changed) {
            Path onDisk = top.resolve(file);
            digest.update(file.getBytes(StandardCharsets.UTF_8));
            digest.update((byte) 0);
            digest.update((Files.isRegularFile(onDisk) ? RunStore.sha256(onDisk) : "deleted").getBytes(StandardCharsets.UTF_8));
            digest.update((byte) '\n');
        }
        return " dirty:" + HexFormat.of().formatHex(digest.digest());
    }

    private static String filesHash(Path path, Path excluded) {
        if (!Files.exists(path)) {
            return "absent";
        }
        MessageDigest digest = sha256();
        Path excludedReal = excluded == null ? null : excluded.toAbsolutePath().normalize();
        try (Stream<Path> walk = Files.walk(path)) {
            for (Path file : walk.filter(Files::isRegularFile).sorted().toList()) {
                if (excludedReal != null && file.toAbsolutePath().normalize().startsWith(excludedReal)) {
                    continue;
                }
                digest.update(path.relativize(file).toString().replace('\\', '/').getBytes(StandardCharsets.UTF_8));
                digest.update((byte) 0);
                digest.update(RunStore.sha256(file).getBytes(StandardCharsets.UTF_8));
                digest.update((byte) '\n');
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot hash the code under " + path, e);
        }
        return "files:" + HexFormat.of().formatHex(digest.digest());
    }

    /** The real path when it exists (temp folders are often symlinked), else the normalised absolute path. */
    private static Path real(Path path) {
        Path absolute = path.toAbsolutePath().normalize();
        try {
            return absolute.toRealPath();
        } catch (IOException e) {
            Path parent = absolute.getParent();
            return parent == null ? absolute : real(parent).resolve(absolute.getFileName());
        }
    }

    private static String relative(Path top, Path path) {
        return top.relativize(path).toString().replace('\\', '/');
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
