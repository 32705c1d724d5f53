package dev.mlops.jenkins.evaluate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import hudson.AbortException;
import hudson.model.TaskListener;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import jenkins.security.Roles;
import org.jenkinsci.remoting.Role;
import org.jenkinsci.remoting.RoleChecker;
import org.jenkinsci.remoting.RoleSensitive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What remoting does to the callable on a real agent: serialize it, check its role, invoke it. */
class EvaluateOnAgentTest {
    @TempDir
    Path workspace;

    private static EvaluateArgs args() {
        return new EvaluateArgs(null, "churn", "models/none", "none", "holdout.csv", null, List.of("region"), null, null, null);
    }

    @Test
    void survivesJavaSerializationAndReportsCoreErrorsInOneLineWithoutSecrets() throws Exception {
        String secret = "AccountKey=c2VjcmV0LWtleS1mb3ItdGVzdHM=";
        EvaluateOnAgent callable = new EvaluateOnAgent(args(), Map.of("AZURE_STORAGE_CONNECTION_STRING", secret), TaskListener.NULL);

        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(callable);
        }
        EvaluateOnAgent copy;
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            copy = (EvaluateOnAgent) in.readObject();
        }

        AbortException e = assertThrows(AbortException.class, () -> copy.invoke(workspace.toFile(), null));
        assertTrue(e.getMessage().startsWith("mlopsEvaluate: "), e.getMessage());
        assertFalse(e.getMessage().contains(secret));
        assertFalse(copy.toString().contains(secret));
    }

    @Test
    void declaresItRunsOnAnAgent() {
        EvaluateOnAgent callable = new EvaluateOnAgent(args(), Map.of(), TaskListener.NULL);
        List<Role> checked = new ArrayList<>();
        callable.checkRoles(new RoleChecker() {
            @Override
            public void check(RoleSensitive subject, java.util.Collection<Role> expected) {
                checked.addAll(expected);
            }
        });
        assertEquals(List.of(Roles.SLAVE), checked);
    }
}
