package dev.mlops.model;

import com.fasterxml.jackson.annotation.JsonIgnore;
import dev.mlops.error.IntegrityException;
import dev.mlops.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * {@code mlp.json}: how to rebuild and feed a "djl-mlp" model. Layers are Linear, ReLU between
 * them, no activation after the last; inputs are standardised as {@code (x - featureMean) / featureStd}
 * first. Classification outputs are logits (softmax gives probabilities); regression outputs are
 * standardised and mapped back with {@code y * labelStd + labelMean}.
 *
 * @param format      always "djl-mlp"
 * @param version     version of this layout (1)
 * @param task        "classification" or "regression"
 * @param inputs      number of features
 * @param hidden      hidden layer widths, e.g. [64, 32]
 * @param outputs     classes, or 1 for regression
 * @param activation  "relu"
 * @param paramsFile  the DJL parameter file, e.g. mlp-0020.params
 * @param featureMean per-feature means of the training split
 * @param featureStd  per-feature standard deviations (1 where a feature is constant)
 * @param labelMean   regression label mean (0 for classification)
 * @param labelStd    regression label standard deviation (1 for classification)
 */
public record MlpDescriptor(String format, int version, String task, int inputs, List<Integer> hidden, int outputs,
                            String activation, String paramsFile, List<Double> featureMean, List<Double> featureStd,
                            double labelMean, double labelStd) {
    public static final String FILE = "mlp.json";
    public static final String FORMAT = "djl-mlp";
    public static final String RELU = "relu";
    /** The DJL model name: the parameter file is {@code mlp-NNNN.params}. */
    public static final String MODEL_NAME = "mlp";

    public MlpDescriptor {
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(task, "task");
        Objects.requireNonNull(paramsFile, "paramsFile");
        hidden = List.copyOf(hidden);
        featureMean = List.copyOf(featureMean);
        featureStd = List.copyOf(featureStd);
        if (inputs < 1 || outputs < 1 || hidden.stream().anyMatch(h -> h < 1)) {
            throw new IllegalArgumentException("inputs, outputs and hidden widths must be >= 1");
        }
        if (featureMean.size() != inputs || featureStd.size() != inputs) {
            throw new IllegalArgumentException("featureMean and featureStd need " + inputs + " values each");
        }
        if (featureStd.stream().anyMatch(s -> !(s > 0)) || !(labelStd > 0)) {
            throw new IllegalArgumentException("standard deviations must be > 0");
        }
        if (!RELU.equals(activation)) {
            throw new IllegalArgumentException("activation must be relu, not " + activation);
        }
    }

    @JsonIgnore
    public boolean isClassification() {
        return ModelSchema.CLASSIFICATION.equals(task);
    }

    /** Layer widths from input to output, e.g. [10, 32, 16, 2]. */
    public int[] widths() {
        int[] widths = new int[hidden.size() + 2];
        widths[0] = inputs;
        for (int i = 0; i < hidden.size(); i++) {
            widths[i + 1] = hidden.get(i);
        }
        widths[widths.length - 1] = outputs;
        return widths;
    }

    /** Standardises one row into {@code out} at {@code offset}; the same arithmetic for training and every backend. */
    public Scaler scaler() {
        return Scaler.of(featureMean, featureStd);
    }

    /** {@code (x - mean) * (1 / std)} in float. */
    public record Scaler(float[] mean, float[] scale) {
        public static Scaler of(List<Double> featureMean, List<Double> featureStd) {
            float[] mean = new float[featureMean.size()];
            float[] scale = new float[featureMean.size()];
            for (int i = 0; i < mean.length; i++) {
                mean[i] = featureMean.get(i).floatValue();
                scale[i] = (float) (1.0 / featureStd.get(i));
            }
            return new Scaler(mean, scale);
        }

        public void apply(float[] row, float[] out, int offset) {
            for (int i = 0; i < mean.length; i++) {
                out[offset + i] = (row[i] - mean[i]) * scale[i];
            }
        }
    }

    public static MlpDescriptor read(Path modelDir) {
        Path file = modelDir.resolve(FILE);
        try {
            return Json.mapper().readValue(Files.readAllBytes(file), MlpDescriptor.class);
        } catch (IOException | RuntimeException e) {
            throw new IntegrityException("model: " + file + " is not a valid djl-mlp descriptor (" + ModelSchema.firstLine(e)
                    + "); restore the model folder from the registry (mlops download) or re-train", e);
        }
    }

    public void write(Path modelDir) {
        try {
            Files.write(modelDir.resolve(FILE), Json.toPrettyString(this).getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + modelDir.resolve(FILE), e);
        }
    }
}
