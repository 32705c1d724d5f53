package dev.mlops.jenkins.evaluate;

import dev.mlops.train.DjlMlpTrainer;
import dev.mlops.train.RunStatus;
import dev.mlops.train.TrainRequest;
import dev.mlops.train.TrainResult;
import dev.mlops.train.TrainingListener;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * Real model folders for the evaluation tests, trained once with the built-in trainer on small
 * generated data: "good" learns the rule behind the label, "bad" was trained on shuffled labels
 * (the same features, so it is a valid but much worse candidate).
 */
final class Models {
    static final String HEADER = "age,income,visits,region,churned";

    private Models() {
    }

    /** Rows whose label follows a mostly linear rule of the first three columns; region is a slice column. */
    static String rows(int count, long seed, boolean shuffledLabels) {
        Random random = new Random(seed);
        Random labels = new Random(seed + 1);
        StringBuilder csv = new StringBuilder(HEADER).append('\n');
        for (int r = 0; r < count; r++) {
            double a = random.nextGaussian();
            double b = random.nextGaussian();
            double c = random.nextGaussian();
            boolean churned = 1.5 * a - b + 0.5 * c + 0.2 * random.nextGaussian() > 0;
            if (shuffledLabels) {
                churned = labels.nextBoolean();
            }
            csv.append(String.format(Locale.ROOT, "%.3f,%.1f,%.3f,%s,%s%n", 40 + 10 * a, 50000 + 9000 * b, 3 + c,
                    r % 2 == 0 ? "north" : "south", churned ? "yes" : "no"));
        }
        return csv.toString();
    }

    static Path write(Path file, String text) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, text);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Trains a djl-mlp model on {@code csv} into {@code out}. */
    static Path train(Path csv, Path out) {
        try {
            Files.createDirectories(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        TrainRequest request = TrainRequest.builder().setWorkingDir(csv.getParent()).optDataset(csv.getFileName())
                .optParams(Map.of("label", "churned", "features", "age,income,visits", "epochs", "8", "hidden", "16"))
                .optSeed(5).build();
        TrainResult result = new DjlMlpTrainer().train(request, out, TrainingListener.NONE);
        if (result.status() != RunStatus.SUCCEEDED) {
            throw new IllegalStateException("training the test model failed: " + result.error());
        }
        return out;
    }

    /** Copies a model folder (flat) so the same model can be a separate baseline. */
    static Path copy(Path from, Path to) {
        try (var files = Files.list(from)) {
            Files.createDirectories(to);
            for (Path f : files.toList()) {
                Files.copy(f, to.resolve(f.getFileName()));
            }
            return to;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
