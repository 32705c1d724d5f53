package dev.mlops.jenkins.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import hudson.model.TaskListener;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import jenkins.security.Roles;
import org.jenkinsci.remoting.Role;
import org.jenkinsci.remoting.RoleChecker;
import org.jenkinsci.remoting.RoleSensitive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/** What remoting does to the callable on a real agent: serialize it, check its role, invoke it. */
class TrainOnAgentTest {
    @TempDir
    Path workspace;

    /** Serializable like Jenkins' remotable listeners; output is dropped. */
    static final class QuietListener implements TaskListener {
        @Override
        public PrintStream getLogger() {
            return new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8);
        }

        private static final long serialVersionUID = 1L;
    }

    private static TrainArgs args() {
        return new TrainArgs("command", "sh train.sh", List.of("train.csv"), Map.of("epochs", "1"), 42, List.of(),
                false, false, null, null, "nvidia-smi");
    }

    @Test
    @EnabledOnOs({OS.LINUX, OS.MAC})
    void survivesJavaSerializationAndTrainsOnTheOtherSide() throws Exception {
        Files.writeString(workspace.resolve("train.csv"), "x,y\n1,0\n");
        Files.writeString(workspace.resolve("train.sh"), "printf w > \"$MLOPS_OUTPUT_DIR/model.bin\"\n");
        TrainOnAgent callable = new TrainOnAgent(args(), Map.of("NODE_NAME", "agent-1", "SECRET_TOKEN", "do-not-print-me"),
                new QuietListener());

        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(callable);
        }
        TrainOnAgent copy;
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            copy = (TrainOnAgent) in.readObject();
        }

        String json = copy.invoke(workspace.toFile(), null);
        assertTrue(json.contains("\"status\":\"SUCCEEDED\""), json);
        assertTrue(json.contains("\"reused\":false"), json);
        assertFalse(copy.toString().contains("do-not-print-me"));
    }

    @Test
    void declaresItRunsOnAnAgent() {
        TrainOnAgent callable = new TrainOnAgent(args(), Map.of(), new QuietListener());
        List<Role> checked = new ArrayList<>();
        callable.checkRoles(new RoleChecker() {
            @Override
            public void check(RoleSensitive subject, java.util.Collection<Role> expected) {
                checked.addAll(expected);
            }
        });
        assertEquals(List.of(Roles.SLAVE), checked);
    }

    @Test
    void readsTheHostOutOfCoresGpuMessage() {
        assertEquals("gpu-host", TrainOnAgent.host("require-gpu: no GPU visible on host gpu-host (agent a): nvidia-smi ..."));
        assertEquals("box", TrainOnAgent.host("require-gpu: no GPU visible on host box: nvidia-smi lists none"));
        assertEquals("unknown", TrainOnAgent.host(null));
    }
}
