package dev.mlops.maturity;

import static dev.mlops.maturity.Practice.APPROVAL;
import static dev.mlops.maturity.Practice.CANARY;
import static dev.mlops.maturity.Practice.DRIFT_CHECK;
import static dev.mlops.maturity.Practice.EVALUATE;
import static dev.mlops.maturity.Practice.GPU;
import static dev.mlops.maturity.Practice.LABELLED_AGENT;
import static dev.mlops.maturity.Practice.MLOPS_LIBRARY;
import static dev.mlops.maturity.Practice.PROMOTE;
import static dev.mlops.maturity.Practice.REGISTER;
import static dev.mlops.maturity.Practice.RETRAIN;
import static dev.mlops.maturity.Practice.SCHEDULED;
import static dev.mlops.maturity.Practice.SMOKE;
import static dev.mlops.maturity.Practice.TRAIN;

import dev.mlops.audit.AuditEvent;
import dev.mlops.audit.AuditVerification;
import dev.mlops.config.ConfigProblem;
import dev.mlops.config.MlopsConfig;
import dev.mlops.config.MlopsConfigParser;
import dev.mlops.deploy.RolloutState;
import dev.mlops.deploy.RolloutStatus;
import dev.mlops.deploy.RolloutStore;
import dev.mlops.error.InvalidInputException;
import dev.mlops.error.MlopsException;
import dev.mlops.lineage.Lineage;
import dev.mlops.maturity.MaturityReport.Criterion;
import dev.mlops.maturity.MaturityReport.DimensionResult;
import dev.mlops.maturity.MaturityReport.NextStep;
import dev.mlops.registry.ModelRegistry;
import dev.mlops.registry.ModelVersion;
import dev.mlops.registry.RegisteredModel;
import dev.mlops.registry.VersionView;
import dev.mlops.storage.ArtifactStores;
import dev.mlops.train.RunRecord;
import dev.mlops.train.RunStatus;
import dev.mlops.train.RunStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Reads a repository (Jenkinsfile, mlops.yaml, registry and its audit log, run records, rollouts,
 * drift reports) and reports the maturity level reached per {@link Dimension}, with the evidence
 * and the next step. The criteria are the table in docs/maturity.md: a level is reached when the
 * pipeline is set up to do it and, where the practice leaves a record, that record exists.
 */
public final class MaturityAssessment {
    public static final String JENKINSFILE = "Jenkinsfile";
    public static final String RUNS_DIR = RunStore.DEFAULT_DIR;
    public static final String ROLLOUTS_DIR = ".mlops/rollouts";
    public static final String MLOPS_DIR = ".mlops";

    private final Map<String, String> env;
    private final Clock clock;

    public MaturityAssessment(Map<String, String> env, Clock clock) {
        this.env = Map.copyOf(env);
        this.clock = clock;
    }

    /** Assesses {@code repository}; {@code registryUri} null means $MLOPS_REGISTRY, else .mlops/registry in the repository. */
    public MaturityReport assess(Path repository, String registryUri) {
        if (!Files.isDirectory(repository)) {
            throw new InvalidInputException("maturity: " + repository + " is not a folder; pass the repository's root folder");
        }
        Evidence e = gather(repository.toAbsolutePath().normalize(), registryUri);
        List<DimensionResult> dimensions = new ArrayList<>();
        for (Dimension d : Dimension.values()) {
            dimensions.add(result(d, criteria(d, e)));
        }
        int level = dimensions.stream().mapToInt(DimensionResult::level).min().orElse(1);
        NextStep next = null;
        for (DimensionResult r : dimensions) {
            if (r.level() == level && r.next() != null) {
                next = new NextStep(r.name(), r.level(), r.level() + 1, r.next());
                break;
            }
        }
        return new MaturityReport(MaturityReport.SCHEMA, repository.toAbsolutePath().normalize().toString(), clock.instant(), level,
                dimensions, next, e);
    }

    // ---------------------------------------------------------------- criteria (docs/maturity.md)

    static List<Criterion> criteria(Dimension d, Evidence e) {
        return switch (d) {
            case MODEL_CREATION -> List.of(
                    new Criterion(2, "training runs in CI and is tracked",
                            e.has(TRAIN) && (e.succeededRuns() > 0 || e.versionsWithLineage() > 0),
                            List.of(practice(e, TRAIN), count(e.succeededRuns(), "succeeded training run", "in " + e.runsDir()),
                                    count(e.versionsWithLineage(), "registered version", "with lineage")),
                            !e.has(TRAIN) ? fix(e, "add `train:` to mlops.yaml", "call mlopsTrain in the Jenkinsfile")
                                    : "run the pipeline once: no succeeded run in " + e.runsDir() + " and no version with lineage"),
                    new Criterion(3, "every candidate is evaluated against production on the same holdout", e.has(EVALUATE),
                            List.of(practice(e, EVALUATE)),
                            fix(e, "add `evaluate:` and `gate:` to mlops.yaml", "add an mlopsEvaluate stage before registering")),
                    new Criterion(4, "drift in production starts retraining",
                            e.has(DRIFT_CHECK) && e.has(RETRAIN) && (!e.driftReports().isEmpty() || e.retrainTriggers() > 0),
                            List.of(practice(e, DRIFT_CHECK), practice(e, RETRAIN), count(e.driftReports().size(), "drift report", "found"),
                                    count(e.retrainTriggers(), "retrain trigger", "in the audit log")),
                            !(e.has(DRIFT_CHECK) && e.has(RETRAIN))
                                    ? fix(e, "add `drift:` and `retrain: {webhook: ...}` to mlops.yaml",
                                    "add an mlopsDriftCheck stage with a retrain trigger")
                                    : "run the drift check once: no drift report under " + MLOPS_DIR + " and no retrain trigger audited"));
            case MODEL_RELEASE -> List.of(
                    new Criterion(2, "versions live in a registry with lineage", e.versionsWithLineage() > 0,
                            List.of(registry(e), count(e.versions(), "version", "in " + e.models() + " model(s)"),
                                    count(e.versionsWithLineage(), "version", "with lineage (git, run or data)")),
                            e.versions() == 0 ? fix(e, "add `train:` to mlops.yaml so each build registers its model",
                                    "register with mlopsRegister(fromRun: run.id)")
                                    : "register from a training run (mlopsRegister fromRun:) so versions carry lineage"),
                    new Criterion(3, "production is promoted through an approval gate", e.has(APPROVAL) && e.productionPromotions() > 0,
                            List.of(practice(e, APPROVAL), count(e.productionPromotions(), "promotion", "of production audited"),
                                    count(e.approvals(), "approval", "recorded")),
                            !e.has(APPROVAL) ? fix(e, "add `deploy.approval.approvers:` to mlops.yaml", "add an mlopsApprove stage before promotion")
                                    : "promote once through the gate: no move of the production alias in the audit log"),
                    new Criterion(4, "releases go out in analysed canary steps with automatic rollback",
                            e.has(CANARY) && e.canaryAnalysed() > 0,
                            List.of(practice(e, CANARY), count(e.canaryAnalysed(), "rollout", "with analysed canary steps in " + e.rolloutsDir()),
                                    count(e.rollbacks(), "rollback", "recorded")),
                            !e.has(CANARY) ? fix(e, "add `deploy.canary: {steps: [10, 50, 100]}` to mlops.yaml",
                                    "add a canary stage (mlops deploy) with analysis")
                                    : "release once by canary: no rollout with an analysed step in " + e.rolloutsDir()));
            case APPLICATION_INTEGRATION -> List.of(
                    new Criterion(2, "the application takes the model by alias from the registry", e.aliases() > 0,
                            List.of(registry(e), count(e.aliases(), "alias", "set")),
                            "point an alias at the version the application uses (mlopsRegister alias: 'staging', or mlops alias set)"),
                    new Criterion(3, "deployment is staged and smoke-tested before production",
                            e.has(PROMOTE) && e.has(SMOKE) && e.productionAlias(),
                            List.of(practice(e, PROMOTE), practice(e, SMOKE), e.productionAlias() ? "production alias set" : "no production alias"),
                            !(e.has(PROMOTE) && e.has(SMOKE)) ? fix(e, "add `deploy: {stages: [staging, production], smoke: true}` to mlops.yaml",
                                    "add a smoke-test stage on staging and a promotion stage")
                                    : "promote a version to production once: the production alias is not set"),
                    new Criterion(4, "production traffic is monitored for drift", e.has(DRIFT_CHECK) && !e.driftReports().isEmpty(),
                            List.of(practice(e, DRIFT_CHECK), count(e.driftReports().size(), "drift report", "found")),
                            !e.has(DRIFT_CHECK) ? fix(e, "add `drift:` to mlops.yaml", "add an mlopsDriftCheck stage on a schedule")
                                    : "run the drift check once: no drift report under " + MLOPS_DIR));
            case TECHNOLOGY -> List.of(
                    new Criterion(2, "the pipeline is code in Jenkins and trains on a labelled agent",
                            e.jenkinsfile() != null && e.has(MLOPS_LIBRARY) && (e.has(LABELLED_AGENT) || e.has(GPU)),
                            List.of(e.jenkinsfile() == null ? "no Jenkinsfile" : "Jenkinsfile" + (e.has(MLOPS_LIBRARY) ? " uses the mlops library" : ""),
                                    practice(e, LABELLED_AGENT), practice(e, GPU)),
                            e.jenkinsfile() == null ? "add a Jenkinsfile that runs mlopsPipeline(config: 'mlops.yaml') (examples/level2)"
                                    : fix(e, "set `train.agent: gpu` in mlops.yaml", "train inside node('gpu') { ... } or mlopsTrain(agent: 'gpu')")),
                    new Criterion(3, "every change is tracked centrally in a tamper-evident audit log from CI",
                            e.auditEvents() > 0 && e.auditIntact() && e.ciEvents() > 0,
                            List.of(count(e.auditEvents(), "audit event", e.auditEvents() == 0 ? "" : e.auditIntact() ? "(chain intact)" : "(chain BROKEN)"),
                                    count(e.ciEvents(), "event", "written from a CI build")),
                            e.auditEvents() > 0 && !e.auditIntact() ? "the audit chain is broken: run `mlops audit --verify` and restore the events"
                                    : "run registry changes from Jenkins (BUILD_URL set) against a shared registry, not from a laptop"),
                    new Criterion(4, "the loop runs end to end without a person starting it",
                            e.has(TRAIN) && e.has(EVALUATE) && e.has(PROMOTE) && e.has(DRIFT_CHECK) && e.has(SCHEDULED),
                            List.of(practice(e, TRAIN), practice(e, EVALUATE), practice(e, PROMOTE), practice(e, DRIFT_CHECK), practice(e, SCHEDULED)),
                            fix(e, "complete mlops.yaml to level 4 (`mlops config validate` lists what is missing)",
                                    "adopt mlopsPipeline with a level-4 mlops.yaml, or add drift check and a cron/webhook trigger")));
        };
    }

    static DimensionResult result(Dimension d, List<Criterion> criteria) {
        int level = 1;
        String next = null;
        for (Criterion c : criteria) {
            if (!c.met()) {
                next = "Level " + level + " → " + c.level() + ": " + c.fix() + "; see docs/levels/level" + c.level() + ".md";
                break;
            }
            level = c.level();
        }
        return new DimensionResult(d.id(), d.label(), level, criteria, next);
    }

    private static String fix(Evidence e, String yamlFix, String stepFix) {
        return e.usesTemplate() || e.jenkinsfile() == null ? yamlFix : stepFix + " (or adopt mlopsPipeline: " + yamlFix + ")";
    }

    private static String practice(Evidence e, Practice p) {
        String source = e.sourceOf(p);
        return source == null ? "not found: " + p.description() : p.description() + " (" + source + ")";
    }

    private static String count(int n, String noun, String rest) {
        return n + " " + noun + (n == 1 ? "" : "s") + (rest.isEmpty() ? "" : " " + rest);
    }

    private static String registry(Evidence e) {
        return (e.registryFound() ? "registry " : "no registry at ") + e.registry();
    }

    // ---------------------------------------------------------------- evidence

    Evidence gather(Path repo, String registryUri) {
        Path jenkinsfile = repo.resolve(JENKINSFILE);
        Set<Practice> fromJenkinsfile = EnumSet.noneOf(Practice.class);
        if (Files.isRegularFile(jenkinsfile)) {
            fromJenkinsfile.addAll(Practice.in(read(jenkinsfile)));
        }
        Path configFile = repo.resolve(MlopsConfig.FILE);
        Set<Practice> fromConfig = EnumSet.noneOf(Practice.class);
        Integer configLevel = null;
        List<String> configProblems = List.of();
        if (Files.isRegularFile(configFile)) {
            MlopsConfigParser.Validation v = new MlopsConfigParser().validate(configFile);
            if (v.valid()) {
                configLevel = v.config().level();
                fromConfig.addAll(practices(v.config()));
            } else {
                configProblems = v.problems().stream().map(ConfigProblem::toString).toList();
            }
        }

        Registry registry = readRegistry(repo, registryUri);
        Path runsDir = repo.resolve(RUNS_DIR);
        int runs = 0;
        int succeeded = 0;
        if (Files.isDirectory(runsDir)) {
            for (RunRecord r : new RunStore(runsDir, clock).list()) {
                runs++;
                succeeded += r.status() == RunStatus.SUCCEEDED ? 1 : 0;
            }
        }
        Path rolloutsDir = repo.resolve(ROLLOUTS_DIR);
        int rollouts = 0;
        int canaryAnalysed = 0;
        int rolledBack = 0;
        for (RolloutStatus s : rollouts(rolloutsDir)) {
            rollouts++;
            if (s.history().stream().anyMatch(t -> "canary-step-analysed".equals(t.event()))) {
                canaryAnalysed++;
            }
            rolledBack += s.state() == RolloutState.ROLLED_BACK ? 1 : 0;
        }
        return new Evidence(Files.isRegularFile(jenkinsfile) ? JENKINSFILE : null, fromJenkinsfile, fromConfig,
                Files.isRegularFile(configFile) ? MlopsConfig.FILE : null, configLevel, configProblems, registry.location, registry.found,
                registry.models, registry.versions, registry.withLineage, registry.aliases, registry.production, registry.events,
                registry.intact, registry.ciEvents, registry.promotions, registry.approvals, registry.rollbacks + rolledBack,
                registry.retrainTriggers, RUNS_DIR, runs, succeeded, ROLLOUTS_DIR, rollouts, canaryAnalysed, driftReports(repo));
    }

    /** What an mlopsPipeline run of this config does. */
    static Set<Practice> practices(MlopsConfig c) {
        Set<Practice> p = EnumSet.noneOf(Practice.class);
        if (c.train() != null) {
            p.add(TRAIN);
            p.add(REGISTER);
            if (c.train().agent() != null) {
                p.add(LABELLED_AGENT);
            }
            if (c.train().requireGpu() || c.train().agent() != null && c.train().agent().toLowerCase(java.util.Locale.ROOT).contains("gpu")) {
                p.add(GPU);
            }
        }
        if (c.evaluate() != null && c.gate() != null) {
            p.add(EVALUATE);
        }
        if (c.deploy() != null) {
            p.add(PROMOTE);
            if (c.deploy().smoke()) {
                p.add(SMOKE);
            }
            if (c.deploy().approval() != null) {
                p.add(APPROVAL);
            }
            if (c.deploy().canary() != null) {
                p.add(CANARY);
            }
        }
        if (c.drift() != null) {
            p.add(DRIFT_CHECK);
            p.add(SCHEDULED);
        }
        if (c.retrain() != null) {
            p.add(RETRAIN);
        }
        return p;
    }

    private static final class Registry {
        String location;
        boolean found;
        int models;
        int versions;
        int withLineage;
        int aliases;
        boolean production;
        int events;
        boolean intact = true;
        int ciEvents;
        int promotions;
        int approvals;
        int rollbacks;
        int retrainTriggers;
    }

    private Registry readRegistry(Path repo, String registryUri) {
        Registry r = new Registry();
        String uri = ArtifactStores.resolveUri(registryUri, env);
        r.location = uri;
        boolean local = !uri.startsWith("azblob:");
        if (local && !Files.isDirectory(repo.resolve(uri.startsWith("file:") ? uri.substring("file:".length()) : uri))) {
            return r;
        }
        try (ModelRegistry registry = new ModelRegistry(ArtifactStores.open(uri, repo, env), clock)) {
            r.found = true;
            for (RegisteredModel m : registry.models()) {
                r.models++;
                r.aliases += m.aliases().size();
                r.production |= m.alias("production").isPresent();
                for (VersionView v : registry.versions(m.name())) {
                    r.versions++;
                    r.withLineage += hasLineage(v.version()) ? 1 : 0;
                }
            }
            for (AuditEvent event : registry.audit().read(1, 0)) {
                r.events++;
                countEvent(r, event);
            }
            AuditVerification verification = registry.audit().verify();
            r.intact = verification.intact();
        } catch (MlopsException | UncheckedIOException unreadable) {
            r.location = uri + " (unreadable: " + unreadable.getMessage() + ")";
            r.found = false;
        }
        return r;
    }

    private static void countEvent(Registry r, AuditEvent event) {
        if (event.build() != null && !event.build().isBlank() && !event.build().equals("local")) {
            r.ciEvents++;
        }
        String action = event.action() == null ? "" : event.action();
        Map<String, String> d = event.details();
        boolean production = event.target() != null && event.target().endsWith("@production");
        if (action.equals("set-alias") && production) {
            Integer from = number(d.get("from"));
            Integer to = number(d.get("to"));
            if (from != null && to != null && to < from) {
                r.rollbacks++;
            } else {
                r.promotions++;
            }
            if (event.reason() != null && event.reason().contains("approved by")) {
                r.approvals++;
            }
        }
        if (action.equals("rollout.approved")) {
            r.approvals++;
        }
        if (action.equals(dev.mlops.retrain.Retrainer.A_TRIGGER) || action.equals(dev.mlops.retrain.WebhookReceiver.A_ACCEPTED)) {
            r.retrainTriggers++;
        }
    }

    private static Integer number(String s) {
        try {
            return s == null ? null : Integer.valueOf(s);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static boolean hasLineage(ModelVersion v) {
        Lineage l = v.lineage();
        return l != null && (l.runId() != null || l.git() != null && l.git().commit() != null || !l.datasets().isEmpty());
    }

    private static List<RolloutStatus> rollouts(Path root) {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        List<RolloutStatus> out = new ArrayList<>();
        RolloutStore store = new RolloutStore(root);
        try (Stream<Path> models = Files.list(root)) {
            for (Path model : models.filter(Files::isDirectory).sorted().toList()) {
                out.addAll(store.list(model.getFileName().toString()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list rollouts in " + root, e);
        }
        return out;
    }

    /** drift.json files anywhere under .mlops (mlopsDriftCheck writes .mlops/reports/drift/drift.json). */
    static List<String> driftReports(Path repo) {
        Path root = repo.resolve(MLOPS_DIR);
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(root, 8)) {
            return files.filter(f -> f.getFileName().toString().equals("drift.json") && Files.isRegularFile(f))
                    .map(f -> repo.relativize(f).toString()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list drift reports in " + root, e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new InvalidInputException("cannot read " + file + ": " + e.getMessage() + "; check its permissions", e);
        }
    }
}
