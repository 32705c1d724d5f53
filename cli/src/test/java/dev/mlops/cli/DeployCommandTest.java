package dev.mlops.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.audit.AuditEvent;
import dev.mlops.deploy.RolloutEvent;
import dev.mlops.deploy.RolloutPlan;
import dev.mlops.deploy.RolloutStatus;
import dev.mlops.deploy.Rollouts;
import dev.mlops.evaluate.Outcome;
import dev.mlops.json.Json;
import dev.mlops.registry.Caller;
import dev.mlops.registry.ModelRegistry;
import dev.mlops.storage.LocalArtifactStore;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeployCommandTest {
    @TempDir
    Path work;
    final Map<String, String> env = Map.of("MLOPS_ACTOR", "tester");

    record Result(int code, String out, String err) {
    }

    Result mlops(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(new Context(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                env, work, Clock.systemUTC()), args);
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    Context context() {
        return new Context(System.out, System.err, env, work, Clock.systemUTC());
    }

    @BeforeEach
    void versions() throws IOException {
        Files.writeString(work.resolve("model.bin"), "weights");
        for (int i = 0; i < 3; i++) {
            Files.writeString(work.resolve("model.bin"), "weights " + i);
            assertEquals(0, mlops("register", "--model", "churn", "--path", "model.bin").code());
        }
        assertEquals(0, mlops("alias", "set", "churn", "production", "1").code());
        assertEquals(0, mlops("alias", "set", "churn", "production", "2", "--expect", "1").code());
    }

    @Test
    void rollbackMovesProductionBackAndAuditsIt() {
        Result r = mlops("rollback", "churn", "--reason", "p99 regression", "--json");
        assertEquals(0, r.code(), r.err());
        JsonNode doc = Json.mapper().valueToTree(Json.fromBytes(r.out().getBytes(StandardCharsets.UTF_8), Map.class));
        assertEquals("mlops.rollback/v1", doc.get("schema").asText());
        assertEquals(2, doc.get("from").asInt());
        assertEquals(1, doc.get("to").asInt());
        assertEquals(false, doc.get("redeployed").asBoolean());
        try (ModelRegistry registry = new ModelRegistry(new LocalArtifactStore(work.resolve(".mlops/registry")), Clock.systemUTC())) {
            assertEquals(1, registry.model("churn").alias("production").orElseThrow().version());
            AuditEvent last = registry.audit().read(0, 0).stream().reduce((a, b) -> b).orElseThrow();
            assertEquals("set-alias", last.action());
            assertEquals("p99 regression", last.reason());
            assertEquals("tester", last.actor());
            assertEquals("2", last.details().get("from"));
            assertEquals("1", last.details().get("to"));
        }
    }

    @Test
    void rollbackToAnExplicitVersionAndRefusesTheCurrentOne() {
        assertEquals(0, mlops("rollback", "churn", "--to", "3").code());
        Result same = mlops("rollback", "churn", "--to", "3");
        assertEquals(4, same.code());
        assertTrue(same.err().contains("already version 3"), same.err());
    }

    @Test
    void approveAndStatusWorkOnTheLiveRollout() {
        try (ModelRegistry registry = new ModelRegistry(new LocalArtifactStore(work.resolve(".mlops/registry")), Clock.systemUTC())) {
            Rollouts rollouts = DeployCommand.rollouts(registry, context());
            Caller ci = new Caller("ci", null);
            RolloutStatus s = rollouts.begin("churn", 3, RolloutPlan.standard(List.of("alice")), ci);
            rollouts.apply("churn", s.id(), new RolloutEvent.StagingDeployed("ci", "http://127.0.0.1:8090/"), ci);
            rollouts.apply("churn", s.id(), new RolloutEvent.SmokeResult("ci", Outcome.PASS, List.of(), List.of()), ci);
            rollouts.apply("churn", s.id(), new RolloutEvent.ApprovalRequested("ci"), ci);
        }
        Result refused = mlops("deploy", "approve", "churn", "--as", "bob");
        assertEquals(1, refused.code());
        assertTrue(refused.err().contains("bob is not an approver; ask one of: alice"), refused.err());
        Result ok = mlops("deploy", "approve", "churn", "--as", "alice", "--evidence", "http://ci/1/report.html");
        assertEquals(0, ok.code(), ok.err());
        assertTrue(ok.out().contains("state APPROVED"), ok.out());
        Result twice = mlops("deploy", "approve", "churn", "--as", "alice");
        assertEquals(4, twice.code());
        assertTrue(twice.err().contains("already approved by alice at"), twice.err());
        Result status = mlops("deploy", "status", "churn");
        assertEquals(0, status.code(), status.err());
        assertTrue(status.out().contains("\"state\" : \"APPROVED\""), status.out());
        assertTrue(status.out().contains("mlops.rollout/v1"), status.out());
    }

    @Test
    void deployWithoutAReferenceExplainsUsage() {
        Result r = mlops("deploy");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("MODEL:VERSION: missing"), r.err());
    }

    @Test
    void smokeCanaryResumeAndAbortNeedALiveRolloutAndSayHowToStartOne() {
        for (String[] args : List.of(new String[] {"deploy", "smoke", "churn", "--holdout", "h.csv"}, new String[] {"deploy", "canary", "churn"},
                new String[] {"deploy", "resume", "churn", "--as", "alice"}, new String[] {"deploy", "abort", "churn", "--as", "alice"})) {
            Result r = mlops(args);
            assertEquals(3, r.code(), String.join(" ", args) + ": " + r.err());
            assertTrue(r.err().contains("rollout: model churn has no live rollout; start one with `mlops deploy churn:VERSION --stage staging`"), r.err());
        }
    }

    @Test
    void canaryBeforeApprovalIsRefusedNamingTheApprovers() {
        try (ModelRegistry registry = new ModelRegistry(new LocalArtifactStore(work.resolve(".mlops/registry")), Clock.systemUTC())) {
            Rollouts rollouts = DeployCommand.rollouts(registry, context());
            Caller ci = new Caller("ci", null);
            RolloutStatus s = rollouts.begin("churn", 3, RolloutPlan.standard(List.of("alice")), ci);
            rollouts.apply("churn", s.id(), new RolloutEvent.StagingDeployed("ci", "http://127.0.0.1:8090/"), ci);
            rollouts.apply("churn", s.id(), new RolloutEvent.SmokeResult("ci", Outcome.PASS, List.of(), List.of()), ci);
            rollouts.apply("churn", s.id(), new RolloutEvent.ApprovalRequested("ci"), ci);
        }
        Result r = mlops("deploy", "canary", "churn", "--step-seconds", "1");
        assertEquals(4, r.code(), r.err());
        assertTrue(r.err().contains("approve it first: `mlops deploy approve churn --as USER` (approvers: alice)"), r.err());
        Result abort = mlops("deploy", "abort", "churn", "--as", "mallory");
        assertEquals(1, abort.code());
        assertTrue(abort.err().contains("mallory is not an approver; ask one of: alice"), abort.err());
        Result aborted = mlops("deploy", "abort", "churn", "--as", "alice", "--reason", "wrong candidate");
        assertEquals(5, aborted.code(), aborted.err());
        assertTrue(aborted.out().startsWith("ABORTED"), aborted.out());
    }
}
