package dev.mlops.jenkins.register;

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
import java.util.List;
import java.util.Map;
import jenkins.security.Roles;
import org.jenkinsci.remoting.Role;
import org.jenkinsci.remoting.RoleChecker;
import org.jenkinsci.remoting.RoleSensitive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What remoting does to the callable on a real agent: serialize it, check its role, invoke it. */
class RegisterOnAgentTest {
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

    private static RegisterArgs args(String registry) {
        return new RegisterArgs(registry, "churn", List.of("model.bin"), "onnx", null, Map.of("auc", "0.9"),
                Map.of(), Map.of(), List.of(), "staging", null);
    }

    @Test
    void survivesJavaSerializationAndRunsOnTheOtherSide() throws Exception {
        Files.writeString(workspace.resolve("model.bin"), "weights");
        RegisterOnAgent callable = new RegisterOnAgent(args(null),
                Map.of("MLOPS_REGISTRY", workspace.resolve("reg").toString(), "SECRET_TOKEN", "do-not-print-me"),
                new QuietListener());

        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(callable);
        }
        RegisterOnAgent copy;
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            copy = (RegisterOnAgent) in.readObject();
        }

        String json = copy.invoke(workspace.toFile(), null);
        assertTrue(json.contains("\"ref\":\"churn:1\""), json);
        assertFalse(copy.toString().contains("do-not-print-me"));
    }

    @Test
    void declaresItRunsOnAnAgent() {
        RegisterOnAgent callable = new RegisterOnAgent(args(null), Map.of(), new QuietListener());
        List<Role> checked = new java.util.ArrayList<>();
        callable.checkRoles(new RoleChecker() {
            @Override
            public void check(RoleSensitive subject, java.util.Collection<Role> expected) {
                checked.addAll(expected);
            }
        });
        assertEquals(List.of(Roles.SLAVE), checked);
    }
}
