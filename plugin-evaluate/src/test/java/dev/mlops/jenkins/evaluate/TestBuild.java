package dev.mlops.jenkins.evaluate;

import hudson.model.Job;
import hudson.model.Run;
import hudson.model.TaskListener;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** Stub job, run and build-log listener for unit tests (no Jenkins). */
final class TestBuild {
    private TestBuild() {
    }

    static final class TestJob extends Job<TestJob, TestRun> {
        TestJob(String name) {
            super(null, name);
        }
    }

    /** A run whose build directory is a real folder, as Jenkins' {@code <job>/builds/<n>/}. */
    static final class TestRun extends Run<TestJob, TestRun> {
        private final File rootDir;

        TestRun(TestJob job, File rootDir) throws IOException {
            super(job);
            this.rootDir = rootDir;
        }

        @Override
        public File getRootDir() {
            return rootDir;
        }
    }

    /** A TaskListener whose log is kept in memory. */
    static final class LogListener implements TaskListener {
        private final transient ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final transient PrintStream logger = new PrintStream(bytes, true, StandardCharsets.UTF_8);

        @Override
        public PrintStream getLogger() {
            return logger;
        }

        String log() {
            return bytes.toString(StandardCharsets.UTF_8);
        }

        private static final long serialVersionUID = 1L;
    }
}
