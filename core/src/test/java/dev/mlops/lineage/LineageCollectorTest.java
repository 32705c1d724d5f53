package dev.mlops.lineage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mlops.error.InvalidInputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.StoredConfig;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LineageCollectorTest {
    @TempDir
    Path repo;

    @Test
    void capturesCommitBranchDirtyFlagAndStripsCredentialsFromTheRemote() throws Exception {
        try (Git git = Git.init().setDirectory(repo.toFile()).setInitialBranch("main").call()) {
            StoredConfig config = git.getRepository().getConfig();
            config.setString("remote", "origin", "url", "https://builder:s3cr3t-token@git.example.com/team/churn.git");
            config.save();
            Files.writeString(repo.resolve("train.py"), "print('train')\n");
            git.add().addFilepattern("train.py").call();
            RevCommit commit = git.commit().setMessage("train").setAuthor("t", "t@example.com").setCommitter("t", "t@example.com")
                    .setSign(false).call();

            GitInfo clean = LineageCollector.git(repo);
            assertEquals(commit.name(), clean.commit());
            assertEquals("main", clean.branch());
            assertFalse(clean.dirty());
            assertEquals("https://git.example.com/team/churn.git", clean.remoteUrl());

            Files.writeString(repo.resolve("train.py"), "print('changed')\n");
            assertTrue(LineageCollector.git(repo).dirty(), "a modified tracked file makes the tree dirty");
        }
    }

    @Test
    void untrackedFilesAloneDoNotMakeTheTreeDirty() throws Exception {
        try (Git git = Git.init().setDirectory(repo.toFile()).call()) {
            Files.writeString(repo.resolve("a.txt"), "a");
            git.add().addFilepattern("a.txt").call();
            git.commit().setMessage("a").setAuthor("t", "t@example.com").setCommitter("t", "t@example.com").setSign(false).call();
            Files.writeString(repo.resolve("model.bin"), "output");
            assertFalse(LineageCollector.git(repo).dirty());
        }
    }

    @Test
    void outsideARepositoryThereIsNoGitInfo() {
        assertNull(LineageCollector.git(repo.resolve("nowhere").getRoot().resolve("proc")));
    }

    @Test
    void stripsCredentialsOnlyFromUrlRemotes() {
        assertEquals("https://host/x.git", LineageCollector.stripCredentials("https://user:pw@host/x.git"));
        assertEquals("https://host:8443/x.git", LineageCollector.stripCredentials("https://tok@host:8443/x.git"));
        assertEquals("git@github.com:org/x.git", LineageCollector.stripCredentials("git@github.com:org/x.git"));
        assertEquals("https://host/x.git", LineageCollector.stripCredentials("https://host/x.git"));
        assertNull(LineageCollector.stripCredentials(null));
    }

    @Test
    void fingerprintsCsvWithRowCountAndHash() throws Exception {
        Files.writeString(repo.resolve("data.csv"), "a,b\n1,2\n3,4\n5,6");
        DatasetFingerprint fp = LineageCollector.fingerprint(repo, Path.of("data.csv"));
        assertEquals(3L, fp.rows(), "header excluded, last line without newline counted");
        assertEquals(15, fp.sizeBytes());
        // printf 'a,b\n1,2\n3,4\n5,6' | sha256sum
        assertEquals("data.csv", fp.path());
        assertEquals("7edd9c396a530404f0a70956264eb2fc069f18fdfc3607a3aba981649e26ec99", fp.sha256());
        Files.writeString(repo.resolve("blob.bin"), "xyz");
        assertNull(LineageCollector.fingerprint(repo, Path.of("blob.bin")).rows());
        InvalidInputException missing = assertThrows(InvalidInputException.class, () -> LineageCollector.fingerprint(repo, Path.of("absent.csv")));
        assertTrue(missing.getMessage().startsWith("dataset:"));
    }

    @Test
    void detectsJenkinsAndOtherCiBuilds() {
        BuildInfo jenkins = LineageCollector.build(Map.of("JENKINS_URL", "https://ci/", "BUILD_URL", "https://ci/job/train/42/",
                "JOB_NAME", "train", "BUILD_NUMBER", "42", "NODE_NAME", "gpu-1"));
        assertEquals("jenkins", jenkins.system());
        assertEquals("https://ci/job/train/42/", jenkins.url());
        assertEquals("42", jenkins.number());
        assertEquals("gpu-1", jenkins.extra().get("NODE_NAME"));
        BuildInfo github = LineageCollector.build(Map.of("GITHUB_ACTIONS", "true", "GITHUB_SERVER_URL", "https://github.com",
                "GITHUB_REPOSITORY", "o/r", "GITHUB_RUN_ID", "9", "GITHUB_WORKFLOW", "ci", "GITHUB_RUN_NUMBER", "3"));
        assertEquals("https://github.com/o/r/actions/runs/9", github.url());
        assertEquals("gitlab", LineageCollector.build(Map.of("GITLAB_CI", "true", "CI_JOB_URL", "u")).system());
        assertEquals("local", LineageCollector.build(Map.of()).system());
    }

    @Test
    void collectsEverythingWithTheGivenClock() throws Exception {
        Files.writeString(repo.resolve("d.csv"), "x\n1\n");
        Clock clock = Clock.fixed(Instant.parse("2026-01-02T03:04:05Z"), ZoneOffset.UTC);
        Lineage lineage = new LineageCollector(clock).collect(repo, List.of(Path.of("d.csv")), Map.of("MLOPS_ACTOR", "carol"));
        assertEquals("carol", lineage.user());
        assertEquals(Instant.parse("2026-01-02T03:04:05Z"), lineage.capturedAt());
        assertEquals(1, lineage.datasets().size());
    }
}
