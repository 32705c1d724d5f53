package dev.mlops.jenkins.support;

import hudson.model.Job;
import hudson.model.Run;
import hudson.model.TaskListener;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** Stub job, run and build-log listener for unit tests (no Jenkins). */
public final class TestBuild {
    private TestBuild() {
    }

    public static final class TestJob extends Job<TestJob, TestRun> {
        public TestJob(String name) {
            super(null, name);
        }
    }

    /**
     * A run. Given a folder, that is its build directory, as Jenkins' {@code <job>/builds/<n>/};
     * without one, {@link #getRootDir()} is the stub's (unsupported).
     */
    public static final class TestRun extends Run<TestJob, TestRun> {
        private final File rootDir;

        public TestRun(TestJob job) throws IOException {
            this(job, null);
        }

        public TestRun(TestJob job, File rootDir) throws IOException {
            super(job);
            this.rootDir = rootDir;
        }

        @Override
        public File getRootDir() {
            return rootDir != null ? rootDir : super.getRootDir();
        }
    }

    /** A TaskListener whose log is kept in memory. */
    public static final class LogListener implements TaskListener {
        private final transient ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final transient PrintStream logger = new PrintStream(bytes, true, StandardCharsets.UTF_8);

        @Override
        public PrintStream getLogger() {
            return logger;
        }

        public String log() {
            return bytes.toString(StandardCharsets.UTF_8);
        }

        private static final long serialVersionUID = 1L;
    }
}
