package dev.mlops.model;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.error.IntegrityException;
import dev.mlops.error.InvalidInputException;
import dev.mlops.error.NotFoundException;
import dev.mlops.json.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Loads a model folder (as written by {@code mlops train} or downloaded from the registry) into a
 * {@link Predictor}. Every folder has {@code schema.json}; the format is "djl-mlp" when it has
 * {@code mlp.json}, "onnx" when it has {@code model.onnx}.
 *
 * <p>"djl-mlp" is scored by default in plain Java ({@link Backend#JAVA}): it reads the same DJL
 * parameter file, needs no native engine, and was faster than DJL's PyTorch engine in every paired
 * run of {@code ScoringBench} (1,000,000 rows, 10-32-16-2 network, 2 shared cores: Java 3.4 to 14.6
 * million rows/s, PyTorch 0.3 to 11.1 million; PyTorch's OpenMP threads suffer most when the cores
 * are busy). {@link Backend#DJL} scores through PyTorch.
 * "onnx" always goes through DJL's OnnxRuntime engine. Predictors are meant to be reused: load
 * once, call {@link Predictor#predict} with large batches, close when done.
 */
public final class ModelLoader {
    public static final String DJL_MLP = MlpDescriptor.FORMAT;
    public static final String ONNX = "onnx";
    public static final List<String> FORMATS = List.of(DJL_MLP, ONNX);

    /** How to score a djl-mlp model. */
    public enum Backend {
        /** The fastest available: {@link #JAVA}. */
        AUTO,
        /** Plain-Java forward pass over the DJL parameters. */
        JAVA,
        /** DJL with the PyTorch engine. */
        DJL
    }

    private ModelLoader() {
    }

    public static Predictor load(Path modelDir) {
        return load(modelDir, Backend.AUTO);
    }

    public static Predictor load(Path modelDir, Backend backend) {
        if (!Files.isDirectory(modelDir)) {
            throw new NotFoundException("model: " + modelDir + " is not a folder; pass the folder holding " + ModelSchema.FILE
                    + " and the model files (e.g. from mlops download NAME:VERSION -o DIR)");
        }
        ModelSchema schema = ModelSchema.read(modelDir);
        String format = format(modelDir);
        if (format.equals(ONNX)) {
            if (backend == Backend.JAVA) {
                throw new InvalidInputException("backend: JAVA scores djl-mlp models only; use AUTO or DJL for " + modelDir.resolve(OnnxPredictor.FILE));
            }
            return new OnnxPredictor(schema, modelDir);
        }
        MlpDescriptor mlp = MlpDescriptor.read(modelDir);
        if (mlp.inputs() != schema.features().size() || mlp.outputs() != schema.outputs() || mlp.isClassification() != schema.isClassification()) {
            throw new IntegrityException("model: " + modelDir.resolve(MlpDescriptor.FILE) + " (" + mlp.task() + ", " + mlp.inputs()
                    + " inputs, " + mlp.outputs() + " outputs) does not match " + ModelSchema.FILE + " (" + schema.task() + ", "
                    + schema.features().size() + " features, " + schema.outputs() + " outputs); restore both from the same run");
        }
        return backend == Backend.DJL ? new DjlMlpPredictor(schema, mlp, modelDir) : new JavaMlpPredictor(schema, mlp, modelDir);
    }

    /** The format of a model folder: "djl-mlp" or "onnx"; anything else is an error naming the supported formats. */
    public static String format(Path modelDir) {
        Path descriptor = modelDir.resolve(MlpDescriptor.FILE);
        if (Files.isRegularFile(descriptor)) {
            String format;
            try {
                JsonNode node = Json.mapper().readTree(Files.readAllBytes(descriptor));
                format = node == null ? null : node.path("format").asText(null);
            } catch (IOException e) {
                throw new IntegrityException("model: " + descriptor + " is not valid JSON (" + ModelSchema.firstLine(e)
                        + "); restore the model folder from the registry (mlops download) or re-train", e);
            }
            if (!DJL_MLP.equals(format)) {
                throw new InvalidInputException("model: " + descriptor + " has format '" + format + "'; supported formats: "
                        + String.join(", ", FORMATS));
            }
            return DJL_MLP;
        }
        if (Files.isRegularFile(modelDir.resolve(OnnxPredictor.FILE))) {
            return ONNX;
        }
        throw new InvalidInputException("model: " + modelDir + " has neither " + MlpDescriptor.FILE + " (djl-mlp) nor "
                + OnnxPredictor.FILE + " (onnx); supported formats: " + String.join(", ", FORMATS));
    }
}
