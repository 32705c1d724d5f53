package dev.mlops.cli;

import dev.mlops.audit.AuditEvent;
import dev.mlops.json.Json;
import dev.mlops.registry.Caller;
import dev.mlops.registry.ModelRef;
import dev.mlops.registry.ModelRegistry;
import dev.mlops.registry.ModelVersion;
import dev.mlops.registry.Registration;
import dev.mlops.registry.VersionDocument;
import dev.mlops.registry.VersionView;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The main job on embedded defaults: a local registry folder, nothing to install. Trains a tiny
 * logistic-regression model twice on generated data, registers both versions with lineage,
 * promotes through staging to production, and prints the lineage and the audit log.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Run the end-to-end demo on embedded defaults (local registry folder).")
final class DemoCommand implements Callable<Integer> {
    private static final String MODEL = "demo-churn";
    private final Context context;
    @Mixin
    RegistryOptions registry = new RegistryOptions();
    @Option(names = "--workdir", description = "Where the demo writes its data and models (default .mlops/demo)")
    Path workdir;

    DemoCommand(Context context) {
        this.context = context;
    }

    @Override
    public Integer call() throws IOException {
        Path dir = context.workingDir().resolve(workdir != null ? workdir : Path.of(".mlops", "demo"));
        Files.createDirectories(dir);
        step("1/5", "Generating a small churn dataset (seeded) in " + context.workingDir().relativize(dir.toAbsolutePath()));
        Path train = dir.resolve("train.csv");
        Path holdout = dir.resolve("holdout.csv");
        writeDataset(train, 2000, 7);
        writeDataset(holdout, 500, 8);

        step("2/5", "Training and registering version A (2 features) and version B (all 3 features)");
        Map<String, Object> first = trainAndRegister(dir, train, holdout, 2, "staging");
        Map<String, Object> second = trainAndRegister(dir, train, holdout, 3, null);

        try (ModelRegistry opened = registry.open(context)) {
            int a = (Integer) first.get("version");
            int b = (Integer) second.get("version");
            Caller caller = Caller.fromEnvironment(context.env());
            step("3/5", "Promoting: production -> " + MODEL + ":" + a + ", then staging and production -> " + MODEL + ":" + b);
            Integer currentProduction = opened.model(MODEL).alias("production").map(p -> p.version()).orElse(0);
            opened.setAlias(MODEL, "production", a, currentProduction, caller, "demo: first production model");
            opened.setAlias(MODEL, "staging", b, a, caller, "demo: candidate " + MODEL + ":" + b);
            double accA = ((Number) ((Map<?, ?>) first.get("metrics")).get("accuracy")).doubleValue();
            double accB = ((Number) ((Map<?, ?>) second.get("metrics")).get("accuracy")).doubleValue();
            String why = String.format(Locale.ROOT, "demo: accuracy %.3f vs %.3f on the same holdout", accB, accA);
            opened.setAlias(MODEL, "production", b, a, caller, why);

            step("4/5", "Lineage of " + MODEL + "@production");
            ModelVersion production = opened.get(new ModelRef(MODEL, null, "production"));
            Render.versionDocument(context.out(), VersionDocument.of(new VersionView(production,
                    opened.model(MODEL).aliasesOf(production.version()), false), opened.location()));
            Path downloaded = dir.resolve("downloaded");
            opened.download(new ModelRef(MODEL, null, "production"), downloaded, (k, d, t) -> { });
            context.out().println("  download: " + downloaded + " (SHA-256 verified)");

            step("5/5", "Audit log (hash-chained)");
            List<AuditEvent> events = opened.audit().read(1, 0);
            for (AuditEvent event : events.subList(Math.max(0, events.size() - 8), events.size())) {
                Render.auditEvent(context.out(), event);
            }
            var verification = opened.audit().verify();
            context.out().printf("  chain: %s, %d events%n", verification.intact() ? "intact" : "TAMPERED: " + verification.problem(),
                    verification.events());
            context.out().println();
            context.out().println("Registry: " + opened.location());
            context.out().println("Next: ./mlops models show " + MODEL + "   ./mlops audit --verify");
        }
        return 0;
    }

    private void step(String number, String text) {
        context.out().println();
        context.out().println("== [" + number + "] " + text);
    }

    private Map<String, Object> trainAndRegister(Path dir, Path train, Path holdout, int featureCount, String alias) throws IOException {
        int epochs = 200;
        double[][] x = features(train, featureCount);
        double[] y = labels(train);
        double learningRate = 0.5;
        double[] weights = new double[x[0].length + 1];
        for (int epoch = 0; epoch < epochs; epoch++) {
            double[] gradient = new double[weights.length];
            for (int i = 0; i < x.length; i++) {
                double error = predict(weights, x[i]) - y[i];
                for (int j = 0; j < x[i].length; j++) {
                    gradient[j] += error * x[i][j];
                }
                gradient[x[i].length] += error;
            }
            for (int j = 0; j < weights.length; j++) {
                weights[j] -= learningRate * gradient[j] / x.length;
            }
        }
        double[][] hx = features(holdout, featureCount);
        double[] hy = labels(holdout);
        int correct = 0;
        for (int i = 0; i < hx.length; i++) {
            correct += (predict(weights, hx[i]) >= 0.5 ? 1 : 0) == hy[i] ? 1 : 0;
        }
        double accuracy = (double) correct / hx.length;
        Path modelDir = dir.resolve("model-" + featureCount + "-features");
        Files.createDirectories(modelDir);
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("type", "logistic-regression");
        model.put("features", List.of("tenure", "monthly_charges", "support_calls").subList(0, featureCount));
        model.put("weights", weights);
        Files.write(modelDir.resolve("model.json"), Json.toBytes(model));

        Map<String, String> metrics = Map.of("accuracy", String.format(Locale.ROOT, "%.4f", accuracy));
        Registration.Input input = new Registration.Input(registry.registry, MODEL, List.of(modelDir.toString()), "json-logreg",
                "demo logistic regression on " + featureCount + " features", metrics,
                Map.of("epochs", String.valueOf(epochs), "learning_rate", String.valueOf(learningRate), "features", String.valueOf(featureCount)),
                Map.of("team", "demo"), List.of(train.toString(), holdout.toString()), alias, "demo: trained on " + featureCount + " features", null);
        Map<String, Object> doc = Registration.registerDocument(input, context.workingDir(), context.env(), context.clock(),
                new Progress(context.err(), "upload"));
        context.out().printf("  registered %s  accuracy=%.4f%s%n", doc.get("ref"), accuracy, alias != null ? "  @" + alias : "");
        return doc;
    }

    private static double predict(double[] weights, double[] x) {
        double z = weights[x.length];
        for (int j = 0; j < x.length; j++) {
            z += weights[j] * x[j];
        }
        return 1 / (1 + Math.exp(-z));
    }

    private static void writeDataset(Path file, int rows, long seed) {
        Random random = new Random(seed);
        StringBuilder csv = new StringBuilder("tenure,monthly_charges,support_calls,churned\n");
        for (int i = 0; i < rows; i++) {
            double tenure = random.nextGaussian();
            double charges = random.nextGaussian();
            double calls = random.nextGaussian();
            double logit = -1.5 * tenure + 0.8 * charges + 1.2 * calls + 0.3 * random.nextGaussian();
            csv.append(String.format(Locale.ROOT, "%.4f,%.4f,%.4f,%d%n", tenure, charges, calls, logit > 0 ? 1 : 0));
        }
        try {
            Files.writeString(file, csv);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static double[][] features(Path file, int featureCount) throws IOException {
        List<double[]> rows = new ArrayList<>();
        List<String> lines = Files.readAllLines(file);
        for (String line : lines.subList(1, lines.size())) {
            String[] cells = line.split(",");
            double[] row = new double[featureCount];
            for (int j = 0; j < featureCount; j++) {
                row[j] = Double.parseDouble(cells[j]);
            }
            rows.add(row);
        }
        return rows.toArray(new double[0][]);
    }

    private static double[] labels(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file);
        return lines.subList(1, lines.size()).stream().mapToDouble(l -> Double.parseDouble(l.split(",")[3])).toArray();
    }
}
