package dev.mlops.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mlops.config.MlopsConfigParser.Validation;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MlopsConfigParserTest {
    static final String LEVEL2 = """
            version: 1
            model: churn
            train:
              agent: gpu
              command: python3 train.py
              data: data/train.csv
              label: churned
            """;
    static final String LEVEL3_SECTIONS = """
            evaluate:
              holdout: data/holdout.csv
            gate:
              metrics:
                - {name: accuracy, min_relative_change: 0.01}
            deploy:
              stages: [staging, production]
              approval:
                approvers: [alice]
            """;
    static final String LEVEL4_SECTIONS = """
              canary:
                steps: [10, 50, 100]
            drift:
              method: psi
            retrain:
              webhook: https://jenkins.example.com/mlops-webhook/retrain
              job: churn
            """;

    private static Validation validate(String yaml) {
        return new MlopsConfigParser().validate(yaml, "mlops.yaml");
    }

    private static ConfigProblem only(Validation v, String path) {
        List<ConfigProblem> at = v.problems().stream().filter(p -> p.path().equals(path)).toList();
        assertEquals(1, at.size(), () -> "one problem at " + path + " in " + v.problems());
        return at.get(0);
    }

    @Test
    void levelIsWhatTheFileConfigures() {
        assertEquals(2, validate(LEVEL2).orThrow().level());
        assertEquals(3, validate(LEVEL2 + LEVEL3_SECTIONS).orThrow().level());
        assertEquals(4, validate(LEVEL2 + LEVEL3_SECTIONS + LEVEL4_SECTIONS).orThrow().level());
        assertEquals(1, validate("model: churn\n").orThrow().level());
        MlopsConfig noSmoke = validate(LEVEL2 + LEVEL3_SECTIONS + "  smoke: false\n").orThrow();
        assertEquals(2, noSmoke.level());
        assertEquals("deploy.smoke", noSmoke.missingFor(3).get(0).path());
    }

    @Test
    void unknownKeySuggestsTheClosestKnownKeyWithItsLine() {
        Validation v = validate(LEVEL2 + LEVEL3_SECTIONS + "  canary:\n    stpes: [10, 100]\n");
        ConfigProblem p = only(v, "deploy.canary.stpes");
        assertEquals("unknown key; did you mean steps?", p.message());
        assertEquals(18, p.line());
        assertEquals("deploy.canary.stpes: unknown key; did you mean steps? (line 18:5)", p.toString());
        assertTrue(only(validate("model: churn\nretrian: {}\n"), "retrian").message().endsWith("did you mean retrain?"));
        assertTrue(only(validate(LEVEL2 + "  requireGpu: true\n"), "train.requireGpu").message().endsWith("did you mean require_gpu?"));
        assertTrue(only(validate("model: churn\nzzz: 1\n"), "zzz").message().contains("known keys here: version, model"));
    }

    @Test
    void wrongTypeInTheGateKeepsItsPath() {
        Validation v = validate(LEVEL2 + """
                gate:
                  metrics:
                    - {name: accuracy}
                    - {name: roc_auc, min_relative_change: "0.01"}
                """);
        assertEquals("gate.metrics[1].min_relative_change: must be a number (line 11:23)", only(v, "gate.metrics[1].min_relative_change").toString());
        Validation unknown = validate(LEVEL2 + "gate:\n  metrics: [{name: accuracy, min_relativ_change: 0.1}]\n");
        assertEquals("unknown key; did you mean min_relative_change?", only(unknown, "gate.metrics[0].min_relativ_change").message());
    }

    @Test
    void wrongTypesElsewhereNameTheField() {
        Validation v = validate(LEVEL2 + "  require_gpu: maybe\n  seed: 4.5\ndeploy:\n  port: http\n");
        assertEquals("must be true or false", only(v, "train.require_gpu").message());
        assertTrue(only(v, "train.seed").message().startsWith("must be a whole number"));
        assertTrue(only(v, "deploy.port").message().startsWith("must be a whole number"));
    }

    @Test
    void thresholdsOutOfRangeAreReported() {
        Validation v = validate(LEVEL2 + LEVEL3_SECTIONS + """
                  slo: {max_error_rate: 1.5}
                  canary:
                    steps: [10, 50, 100]
                    analysis: {max_error_rate: -0.1}
                drift:
                  drift_share: 1.5
                retrain:
                  webhook: https://jenkins.example.com/mlops-webhook/retrain
                  max_per_day: 0
                """.replace("confidence", "x"));
        assertTrue(only(v, "drift.drift_share").message().startsWith("1.5 not in (0, 1]"), v.problems()::toString);
        assertTrue(only(v, "deploy.slo.max_error_rate").message().startsWith("1.5 not in 0..1"), v.problems()::toString);
        assertTrue(only(v, "deploy.canary.analysis.max_error_rate").message().startsWith("-0.1 not in 0..1"), v.problems()::toString);
        assertTrue(only(v, "retrain.max_per_day").message().startsWith("0 not in 1..1000"));
        Validation gate = validate(LEVEL2 + "gate:\n  metrics: [{name: accuracy}]\n  confidence_level: 1.2\n");
        assertTrue(only(gate, "gate.confidence_level").message().startsWith("1.2 not in [0.5, 1)"));
    }

    @Test
    void emptyApproversWhileApprovalIsOnIsAProblem() {
        Validation v = validate(LEVEL2 + "deploy:\n  approval:\n    approvers: []\n");
        assertEquals(MlopsConfigParser.EMPTY_APPROVERS, only(v, "deploy.approval.approvers").message());
        Validation noList = validate(LEVEL2 + "deploy:\n  approval: {timeout_minutes: 30}\n");
        assertEquals(MlopsConfigParser.EMPTY_APPROVERS, only(noList, "deploy.approval.approvers").message());
        Validation firstModel = validate(LEVEL2 + "gate:\n  metrics: [{name: accuracy}]\n  first_model_policy: require_approval\n");
        assertTrue(only(firstModel, "deploy.approval.approvers").message().contains("require_approval"));
        Validation blank = validate(LEVEL2 + "deploy:\n  approval:\n    approvers: [alice, \"group:\"]\n");
        assertTrue(only(blank, "deploy.approval.approvers[1]").message().startsWith("blank"));
    }

    @Test
    void levelFourWithoutWebhookOrDriftIsAProblem() {
        Validation v = validate("level: 4\n" + LEVEL2 + LEVEL3_SECTIONS + "  canary: {steps: [10, 100]}\n");
        assertTrue(only(v, "retrain.webhook").message().startsWith("required by level: 4"), v.problems()::toString);
        assertTrue(only(v, "drift").message().startsWith("required by level: 4"));
        assertEquals(2, v.problems().size(), v.problems()::toString);
        Validation noWebhook = validate(LEVEL2 + LEVEL3_SECTIONS + LEVEL4_SECTIONS.replace("  webhook: https://jenkins.example.com/mlops-webhook/retrain\n", ""));
        assertTrue(only(noWebhook, "retrain.webhook").message().startsWith("is required"));
        Validation driftAlone = validate(LEVEL2 + "drift: {method: ks}\n");
        assertTrue(only(driftAlone, "retrain").message().startsWith("required when drift is on"));
        Validation secret = validate(LEVEL2 + "retrain: {webhook: 'https://j.example.com/hook?token=abc'}\n");
        assertTrue(only(secret, "retrain.webhook").message().contains("secret"));
        assertFalse(only(secret, "retrain.webhook").message().contains("abc"));
    }

    @Test
    void levelThreeWithoutGateAndDeployIsAProblem() {
        Validation v = validate("level: 3\n" + LEVEL2 + "evaluate: {holdout: h.csv}\n");
        assertEquals(List.of("gate", "deploy", "deploy.approval", "deploy.smoke"), v.problems().stream().map(ConfigProblem::path).toList());
        assertTrue(v.problems().get(0).message().contains("docs/levels/level3.md"));
    }

    @Test
    void everyProblemIsReportedTogether() {
        Validation v = validate("""
                version: 2
                model: "bad/name"
                level: 4
                train:
                  command: python train.py
                  builtin: {task: clasification}
                gate:
                  metrics:
                    - {name: accuracy}
                    - {name: log_loss, min_relative_change: "x"}
                deploy:
                  approval: {approvers: []}
                  canary: {steps: [50, 20, 90]}
                  stagse: [a]
                """);
        List<String> paths = v.problems().stream().map(ConfigProblem::path).toList();
        for (String expected : List.of("version", "model", "train.builtin", "train.builtin.task", "gate.metrics[1].min_relative_change",
                "deploy.approval.approvers", "deploy.canary.steps[1]", "deploy.canary.steps", "deploy.stagse", "evaluate", "drift",
                "retrain.webhook")) {
            assertTrue(paths.contains(expected), () -> expected + " missing from " + v.problems());
        }
        assertTrue(only(v, "train.builtin.task").message().contains("did you mean classification?"));
        assertNull(v.config());
        MlopsConfigException e = assertThrows(MlopsConfigException.class, v::orThrow);
        assertEquals(v.problems(), e.problems());
        assertTrue(e.getMessage().startsWith("mlops.yaml has " + v.problems().size() + " problems: "));
    }

    @Test
    void canaryStepsMustIncreaseAndEndAt100() {
        Validation v = validate(LEVEL2 + "deploy:\n  canary: {steps: [10, 10, 90]}\n");
        assertTrue(only(v, "deploy.canary.steps[1]").message().contains("is not above the previous step's 10"));
        assertTrue(only(v, "deploy.canary.steps").message().contains("the last step is 90, not 100"));
        Validation range = validate(LEVEL2 + "deploy:\n  canary: {steps: [0, 150]}\n");
        assertTrue(only(range, "deploy.canary.steps[1]").message().startsWith("150 not in 1..100"));
    }

    @Test
    void trainNeedsExactlyOneOfCommandAndBuiltin() {
        assertTrue(only(validate("model: m\ntrain: {agent: gpu}\n"), "train").message().startsWith("needs exactly one of command"));
        Validation both = validate("model: m\ntrain: {command: x, builtin: {}, data: d.csv, label: y}\n");
        assertTrue(only(both, "train.builtin").message().contains("both set"));
        Validation builtin = validate("model: m\ntrain: {builtin: {hidden: [8]}}\n");
        assertTrue(only(builtin, "train.data").message().startsWith("is required with train.builtin"));
        assertTrue(only(builtin, "train.label").message().startsWith("is required with train.builtin"));
    }

    @Test
    void syntaxErrorsAndDuplicatesCarryTheirLine() {
        Validation v = validate("model: churn\ntrain:\n  command: [python\n  agent: gpu\n");
        assertEquals(1, v.problems().size());
        ConfigProblem p = v.problems().get(0);
        assertEquals(MlopsConfigParser.ROOT, p.path());
        assertTrue(p.message().startsWith("not valid YAML: "), p::toString);
        assertTrue(p.line() >= 3, p::toString);
        ConfigProblem dup = only(validate("model: a\nmodel: b\n"), "model");
        assertEquals(2, dup.line());
        assertTrue(dup.message().contains("first at line 1"));
        assertEquals("(file): is empty; start with `version: 1` and `model: NAME` (see docs/mlops-yaml.md)",
                validate("# nothing\n").problems().get(0).toString());
    }

    @Test
    void missingModelIsReported() {
        assertTrue(only(validate("version: 1\n"), "model").message().startsWith("is required"));
    }

    @Test
    void documentHasEveryDefault() {
        MlopsConfig config = validate(LEVEL2 + LEVEL3_SECTIONS + LEVEL4_SECTIONS).orThrow();
        Map<String, Object> doc = config.toDocument();
        assertEquals(MlopsConfig.SCHEMA, doc.get("schema"));
        assertEquals(4, doc.get("level"));
        @SuppressWarnings("unchecked") Map<String, Object> deploy = (Map<String, Object>) doc.get("deploy");
        assertEquals(8090, deploy.get("port"));
        assertEquals(true, deploy.get("smoke"));
        assertEquals("local", deploy.get("target"));
        @SuppressWarnings("unchecked") Map<String, Object> retrain = (Map<String, Object>) doc.get("retrain");
        assertEquals(360, retrain.get("cooldown_minutes"));
        assertEquals("trigger", retrain.get("mode"));
        @SuppressWarnings("unchecked") Map<String, Object> gate = (Map<String, Object>) doc.get("gate");
        assertEquals(0.95, gate.get("confidence_level"));
        assertEquals(List.of("data/train.csv"), config.train().data());
        assertEquals("churned", config.evaluate().label());
    }
}
