package dev.mlops.maturity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.audit.AuditRecord;
import dev.mlops.deploy.Rollout;
import dev.mlops.deploy.RolloutEvent;
import dev.mlops.deploy.RolloutPlan;
import dev.mlops.deploy.RolloutState;
import dev.mlops.deploy.RolloutStatus;
import dev.mlops.deploy.RolloutStore;
import dev.mlops.evaluate.Outcome;
import dev.mlops.json.Json;
import dev.mlops.lineage.BuildInfo;
import dev.mlops.lineage.DatasetFingerprint;
import dev.mlops.lineage.GitInfo;
import dev.mlops.lineage.Lineage;
import dev.mlops.registry.Caller;
import dev.mlops.registry.ModelRegistry;
import dev.mlops.registry.RegisterRequest;
import dev.mlops.storage.LocalArtifactStore;
import dev.mlops.storage.TransferListener;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Known answers on fixture repositories of each level. The Jenkinsfile and mlops.yaml come from
 * src/test/resources/maturity/levelN; the registry, audit log, rollouts and drift report are
 * written here by the real code, as the pipeline of that level would have left them.
 */
class MaturityAssessmentTest {
    static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");
    static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    static final Caller JENKINS = new Caller("jenkins", new BuildInfo("jenkins", "https://ci.example.com/job/churn/7/", "churn", "7", Map.of()));

    @TempDir
    Path work;

    private Path fixture(int level) {
        try {
            Path source = Path.of(MaturityAssessmentTest.class.getResource("/maturity/level" + level).toURI());
            Path repo = work.resolve("level" + level);
            Files.createDirectories(repo);
            try (Stream<Path> files = Files.list(source)) {
                for (Path f : files.toList()) {
                    Files.copy(f, repo.resolve(f.getFileName()));
                }
            }
            return repo;
        } catch (IOException | URISyntaxException e) {
            throw new AssertionError(e);
        }
    }

    private static ModelRegistry registry(Path repo) {
        return new ModelRegistry(new LocalArtifactStore(repo.resolve(".mlops/registry")), CLOCK);
    }

    /** What a Level 2 pipeline leaves: a version registered from a run, with lineage, alias staging. */
    private static void trainedAndRegistered(Path repo, ModelRegistry registry, int version) {
        try {
            Path model = repo.resolve("out/model-" + version + ".bin");
            Files.createDirectories(model.getParent());
            Files.writeString(model, "weights " + version);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Lineage lineage = new Lineage(new GitInfo("a1b2c3d" + version, "main", false, "https://git.example.com/churn.git"),
                List.of(new DatasetFingerprint("data/train.csv", "ab".repeat(32), 1024, 100L)), JENKINS.build(), "run-" + version, "jenkins", NOW);
        registry.register(new RegisterRequest("churn", List.of(repo.resolve("out/model-" + version + ".bin")), "djl-mlp", null,
                Map.of("accuracy", 0.9), Map.of(), Map.of(), lineage, "evaluation PASS"), JENKINS, TransferListener.NONE);
        registry.setAlias("churn", "staging", version, null, JENKINS, "registered by build 7");
    }

    private static void promoted(ModelRegistry registry, int version) {
        registry.setAlias("churn", "production", version, null, JENKINS, "approved by alice; evaluation PASS");
    }

    private static MaturityReport assess(Path repo) {
        return new MaturityAssessment(Map.of(), CLOCK).assess(repo, null);
    }

    private static List<Integer> levels(MaturityReport r) {
        return r.dimensions().stream().map(MaturityReport.DimensionResult::level).toList();
    }

    @Test
    void levelOneRepositoryHandsAFileOver() {
        MaturityReport r = assess(fixture(1));
        assertEquals(List.of(1, 1, 1, 1), levels(r));
        assertEquals(1, r.level());
        assertEquals("model creation", r.next().dimension());
        assertTrue(r.next().step().startsWith("Level 1 → 2: call mlopsTrain in the Jenkinsfile (or adopt mlopsPipeline: add `train:` to mlops.yaml)"),
                r.next().step());
        assertTrue(r.next().step().endsWith("see docs/levels/level2.md"));
        assertFalse(r.evidence().registryFound());
        assertFalse(Files.exists(work.resolve("level1/.mlops")), "assessing must not create a registry");
    }

    @Test
    void levelTwoRepositoryTrainsOnAGpuAgentAndRegistersWithLineage() {
        Path repo = fixture(2);
        try (ModelRegistry registry = registry(repo)) {
            trainedAndRegistered(repo, registry, 1);
        }
        MaturityReport r = assess(repo);
        assertEquals(List.of(2, 2, 2, 3), levels(r), () -> Json.toPrettyString(r.dimensions()));
        assertEquals(2, r.level());
        assertEquals(2, r.evidence().configLevel());
        assertTrue(r.evidence().has(Practice.GPU));
        assertEquals("Level 2 → 3: add `evaluate:` and `gate:` to mlops.yaml; see docs/levels/level3.md", r.next().step());
        assertEquals(3, r.next().to());
        assertEquals(1, r.evidence().versionsWithLineage());
    }

    @Test
    void levelThreeRepositoryPromotesThroughTheGate() {
        Path repo = fixture(3);
        try (ModelRegistry registry = registry(repo)) {
            trainedAndRegistered(repo, registry, 1);
            promoted(registry, 1);
            trainedAndRegistered(repo, registry, 2);
            promoted(registry, 2);
        }
        MaturityReport r = assess(repo);
        assertEquals(List.of(3, 3, 3, 3), levels(r), () -> Json.toPrettyString(r.dimensions()));
        assertEquals(2, r.evidence().productionPromotions());
        assertEquals(2, r.evidence().approvals());
        assertTrue(r.next().step().startsWith("Level 3 → 4: add `drift:` and `retrain: {webhook: ...}` to mlops.yaml"), r.next().step());
        assertEquals("model creation", r.next().dimension());
    }

    @Test
    void levelFourRepositoryClosesTheLoop() throws IOException {
        Path repo = fixture(4);
        try (ModelRegistry registry = registry(repo)) {
            trainedAndRegistered(repo, registry, 1);
            promoted(registry, 1);
            trainedAndRegistered(repo, registry, 2);
            registry.audit().append(new AuditRecord("webhook", "webhook-accepted", "model/churn:2", "drift in 7 of 25 features",
                    JENKINS.build().describe(), Map.of()));
        }
        RolloutStatus s = RolloutStatus.begin("v2-1", "churn", 2, 1, RolloutPlan.standard(List.of("alice")), NOW);
        for (RolloutEvent event : List.of(new RolloutEvent.StagingDeployed("jenkins", "http://127.0.0.1:8091"),
                new RolloutEvent.SmokeResult("jenkins", Outcome.PASS, List.of(), List.of()), new RolloutEvent.ApprovalRequested("jenkins"),
                new RolloutEvent.Approved("alice", List.of()), new RolloutEvent.CanaryStarted("jenkins"),
                new RolloutEvent.CanaryStepAnalysed("jenkins", Outcome.PASS, List.of(), List.of()),
                new RolloutEvent.CanaryStepAnalysed("jenkins", Outcome.FAIL, List.of("error rate 0.05 > 0.01"), List.of()))) {
            s = Rollout.transition(s, event, NOW);
        }
        assertEquals(RolloutState.ROLLED_BACK, s.state());
        new RolloutStore(repo.resolve(".mlops/rollouts")).save(s);
        Path drift = repo.resolve(".mlops/reports/drift/drift.json");
        Files.createDirectories(drift.getParent());
        Files.writeString(drift, "{\"schema\": \"mlops.drift/v1\", \"drift\": true}");

        MaturityReport r = assess(repo);
        assertEquals(List.of(4, 4, 4, 4), levels(r), () -> Json.toPrettyString(r.dimensions()));
        assertEquals(4, r.level());
        assertNull(r.next());
        assertEquals(1, r.evidence().canaryAnalysed());
        assertEquals(1, r.evidence().rollbacks());
        assertEquals(1, r.evidence().retrainTriggers());
        assertEquals(List.of(".mlops/reports/drift/drift.json"), r.evidence().driftReports());
    }

    @Test
    void configuredButNeverRunStaysAtLevelOneAndSaysRunIt() {
        MaturityReport r = assess(fixture(4));
        assertEquals(4, r.evidence().configLevel());
        assertEquals(List.of(1, 1, 1, 2), levels(r));
        assertTrue(r.dimension(Dimension.MODEL_CREATION).next().contains("run the pipeline once"), r.dimension(Dimension.MODEL_CREATION).next());
    }

    @Test
    void invalidConfigCountsForNothingAndItsProblemsAreListed() throws IOException {
        Path repo = fixture(3);
        Files.writeString(repo.resolve("mlops.yaml"), "model: churn\ntrain: {comand: python train.py}\n");
        MaturityReport r = assess(repo);
        assertNull(r.evidence().configLevel());
        assertTrue(r.evidence().configProblems().stream().anyMatch(p -> p.startsWith("train.comand: unknown key; did you mean command?")),
                r.evidence().configProblems()::toString);
        assertEquals(1, r.level());
    }

    @Test
    void scriptedJenkinsfileExampleShowsItsStages() throws IOException {
        Path example = Path.of(System.getProperty("user.dir")).getParent().resolve("Jenkinsfile.example");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.exists(example), "Jenkinsfile.example is at the repository root");
        var found = Practice.in(Files.readString(example));
        for (Practice p : List.of(Practice.MLOPS_LIBRARY, Practice.LABELLED_AGENT, Practice.GPU, Practice.TRAIN, Practice.EVALUATE,
                Practice.REGISTER, Practice.APPROVAL, Practice.PROMOTE, Practice.SMOKE)) {
            assertTrue(found.contains(p), p + " not found in Jenkinsfile.example: " + found);
        }
        assertFalse(found.contains(Practice.TEMPLATE));
        assertFalse(Practice.in("// mlopsDriftCheck later\nnode { sh 'make' }\n").contains(Practice.DRIFT_CHECK), "comments are not steps");
    }

    @Test
    void reportsAreJsonWithSchemaAndWellFormedSelfContainedHtml() throws Exception {
        Path repo = fixture(2);
        try (ModelRegistry registry = registry(repo)) {
            trainedAndRegistered(repo, registry, 1);
        }
        MaturityReport r = assess(repo);
        List<Path> written = MaturityReports.write(r, work.resolve("reports"));
        JsonNode json = Json.mapper().readTree(Files.readString(written.get(0)));
        assertEquals(MaturityReport.SCHEMA, json.get("schema").asText());
        assertEquals(2, json.get("level").asInt());
        assertEquals("model creation", json.get("dimensions").get(0).get("name").asText());
        assertTrue(json.get("next").get("step").asText().startsWith("Level 2 → 3"));
        String html = Files.readString(written.get(1));
        assertFalse(html.contains("<script"));
        assertFalse(html.contains("http://") && !html.contains("http://www.w3.org/2000/svg"));
        DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new java.io.ByteArrayInputStream(html.replace("<!DOCTYPE html>", "").getBytes(StandardCharsets.UTF_8)));
        assertTrue(html.contains("Level 2 of 4"));
    }
}
