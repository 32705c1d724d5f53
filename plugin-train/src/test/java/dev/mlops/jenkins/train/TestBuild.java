package dev.mlops.jenkins.train;

import hudson.model.Job;
import hudson.model.Run;
import hudson.model.TaskListener;
import java.io.ByteArrayOutputStream;
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

    static final class TestRun extends Run<TestJob, TestRun> {
        TestRun(TestJob job) throws IOException {
            super(job);
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
