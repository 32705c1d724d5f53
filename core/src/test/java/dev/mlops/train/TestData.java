package dev.mlops.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Random;

/** Small generated tabular data sets for trainer and loader tests. */
public final class TestData {
    private TestData() {
    }

    /**
     * {@code rows} rows of five features on different scales and a binary label "churned" that
     * depends on them through a mostly linear rule with a little noise.
     */
    public static Path classification(Path dir, int rows, long seed) {
        Random random = new Random(seed);
        StringBuilder csv = new StringBuilder("age,income,visits,tenure,score,churned\n");
        for (int r = 0; r < rows; r++) {
            double[] z = new double[5];
            for (int f = 0; f < 5; f++) {
                z[f] = random.nextGaussian();
            }
            double signal = 1.5 * z[0] - 1.2 * z[1] + 0.8 * z[2] + 0.6 * z[3] * z[4] + 0.25 * random.nextGaussian();
            csv.append(String.format(Locale.ROOT, "%.3f,%.1f,%.4f,%.3f,%.5f,%s%n", 40 + 12 * z[0], 50000 + 15000 * z[1],
                    3 + 0.5 * z[2], 24 + 10 * z[3], 0.001 * z[4], signal > 0 ? "yes" : "no"));
        }
        return write(dir.resolve("churn.csv"), csv);
    }

    /** {@code rows} rows of four features and a numeric label "price" = 3a - 2b + c^2 + small noise. */
    public static Path regression(Path dir, int rows, long seed) {
        Random random = new Random(seed);
        StringBuilder csv = new StringBuilder("a,b,c,d,price\n");
        for (int r = 0; r < rows; r++) {
            double a = random.nextGaussian();
            double b = random.nextGaussian();
            double c = random.nextGaussian();
            double d = random.nextGaussian();
            double price = 100 + 3 * a - 2 * b + c * c + 0.1 * random.nextGaussian();
            csv.append(String.format(Locale.ROOT, "%.4f,%.4f,%.4f,%.4f,%.4f%n", a, b, c, d, price));
        }
        return write(dir.resolve("prices.csv"), csv);
    }

    static Path write(Path file, CharSequence text) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, text);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
