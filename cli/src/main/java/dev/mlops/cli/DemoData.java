package dev.mlops.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * The demo's seeded churn data. {@link #BEFORE} is the world the first models learn; {@link #AFTER} is
 * production some weeks later: a price rise moved monthly charges up and support calls with them, and
 * customers now react to the charges themselves, so the deployed model is both looking at drifted
 * inputs and wrong more often, which a retrained model fixes measurably.
 */
final class DemoData {
    static final String HEADER = "tenure,monthly_charges,support_calls,age,region,churned";
    static final Shift BEFORE = new Shift(0, 0, 0, 0, List.of("north", "south", "east", "west"));
    static final Shift AFTER = new Shift(1.0, 0.8, 1.5, 3.0, List.of("north", "south", "east", "west", "central"));

    /** Mean shifts of two features, the weight of the new dependence on charges and the offset keeping the churn rate, the regions seen. */
    record Shift(double charges, double calls, double chargesEffect, double offset, List<String> regions) {
    }

    private DemoData() {
    }

    /** Churn depends non-linearly on the features, so a larger network helps measurably. */
    static void write(Path file, int rows, long seed, Shift shift) {
        Random random = new Random(seed);
        StringBuilder csv = new StringBuilder(HEADER).append('\n');
        for (int i = 0; i < rows; i++) {
            double tenure = random.nextGaussian();
            double charges = random.nextGaussian() + shift.charges();
            double calls = random.nextGaussian() + shift.calls();
            double age = random.nextGaussian();
            String region = shift.regions().get(random.nextInt(shift.regions().size()));
            double logit = 2.0 * (charges * calls) - 1.5 * tenure * tenure + 1.0 + 0.8 * Math.sin(2 * age) + 0.3 * random.nextGaussian()
                    + shift.chargesEffect() * charges - shift.offset();
            csv.append(String.format(Locale.ROOT, "%.4f,%.4f,%.4f,%.4f,%s,%d%n", tenure, charges, calls, age, region, logit > 0 ? 1 : 0));
        }
        writeAtomically(file, csv.toString());
    }

    /** {@code target} = the rows of every source under one header (a retraining set: history plus recent labelled data). */
    static void concat(Path target, List<Path> sources) {
        StringBuilder csv = new StringBuilder(HEADER).append('\n');
        for (Path source : sources) {
            try {
                List<String> lines = Files.readAllLines(source);
                lines.subList(1, lines.size()).forEach(l -> csv.append(l).append('\n'));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + source + ": " + e.getMessage(), e);
            }
        }
        writeAtomically(target, csv.toString());
    }

    /** Writes only when the content differs, so the data's timestamps and fingerprints stay and training runs are reused. */
    static void writeAtomically(Path file, String content) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            if (Files.isRegularFile(file) && Files.readString(file).equals(content)) {
                return;
            }
            Path temp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.writeString(temp, content);
            Files.move(temp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
