package dev.mlops.model;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ModelNotFoundException;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.NoopTranslator;
import ai.djl.translate.TranslateException;
import dev.mlops.error.ErrorCode;
import dev.mlops.error.IntegrityException;
import dev.mlops.error.MlopsException;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Scores {@code model.onnx} through DJL's OnnxRuntime engine. The model takes one float tensor
 * [rows, features] (features in schema order, already preprocessed as the model expects). For
 * classification it must output probabilities [rows, classes] (e.g. ending in Softmax); the first
 * output of that shape is used. For regression the first column of the first output is the value.
 */
final class OnnxPredictor implements Predictor {
    static final String ENGINE = "OnnxRuntime";
    static final String FILE = "model.onnx";
    static final int BATCH = 32768;
    static final int MAX_COMMAND_LINE = 3900;

    private final ModelSchema schema;
    private final ZooModel<NDList, NDList> model;

    OnnxPredictor(ModelSchema schema, Path modelDir) {
        this.schema = schema;
        Path file = modelDir.resolve(FILE);
        checkCommandLine();
        try {
            this.model = Criteria.builder().setTypes(NDList.class, NDList.class)
                    .optModelPath(file)
                    .optEngine(ENGINE)
                    .optTranslator(new NoopTranslator())
                    .build()
                    .loadModel();
        } catch (IOException | ModelNotFoundException | MalformedModelException | RuntimeException e) {
            throw new IntegrityException("model: " + file + " cannot be loaded by ONNX Runtime (" + ModelSchema.firstLine(e)
                    + "); check that it is a valid ONNX model, or restore it from the registry (mlops download)", e);
        }
    }

    @Override
    public ModelSchema schema() {
        return schema;
    }

    @Override
    public double[][] predict(float[][] rows) {
        Rows.check(rows, schema);
        int features = schema.features().size();
        int classes = schema.outputs();
        double[][] out = new double[rows.length][];
        float[] flat = new float[Math.min(BATCH, rows.length) * features];
        try (ai.djl.inference.Predictor<NDList, NDList> predictor = model.newPredictor()) {
            for (int start = 0; start < rows.length; start += BATCH) {
                int count = Math.min(BATCH, rows.length - start);
                for (int r = 0; r < count; r++) {
                    System.arraycopy(rows[start + r], 0, flat, r * features, features);
                }
                try (NDManager batch = model.getNDManager().newSubManager()) {
                    NDArray x = batch.create(FloatBuffer.wrap(flat, 0, count * features), new Shape(count, features));
                    NDList result = predictor.predict(new NDList(x));
                    NDArray scores = pick(result, count, classes);
                    double[] values = scores.getDataType() == DataType.FLOAT64 ? scores.toDoubleArray() : toDouble(scores.toFloatArray());
                    int width = (int) (scores.getShape().dimension() == 2 ? scores.getShape().get(1) : 1);
                    for (int r = 0; r < count; r++) {
                        double[] row = new double[classes];
                        System.arraycopy(values, r * width, row, 0, classes);
                        out[start + r] = row;
                    }
                    result.close();
                }
            }
        } catch (TranslateException e) {
            throw new IllegalStateException("ONNX Runtime could not score the rows: " + e.getMessage(), e);
        }
        return out;
    }

    /**
     * ONNX Runtime 1.29.0 crashes the JVM (SIGSEGV while creating its environment) when the JVM's
     * command line is about 4 KiB or longer, e.g. {@code java -cp <50 jars>}; measured on Linux
     * x86-64 with a 3,981-byte command line. Refuse with an explanation instead of dying.
     */
    private static void checkCommandLine() {
        Path cmdline = Path.of("/proc/self/cmdline");
        try {
            long length = Files.isRegularFile(cmdline) ? Files.readAllBytes(cmdline).length : 0;
            if (length > MAX_COMMAND_LINE) {
                throw new MlopsException(ErrorCode.INTERNAL, "onnx: this JVM's command line is " + length
                        + " bytes and ONNX Runtime 1.29.0 crashes the JVM above about 3,900; start java with a shorter one "
                        + "(java -jar with a Class-Path manifest, an @argfile, or the CLASSPATH variable)");
            }
        } catch (IOException e) {
            // not Linux: nothing to check
        }
    }

    private NDArray pick(NDList outputs, int rows, int classes) {
        for (NDArray output : outputs) {
            Shape shape = output.getShape();
            boolean numeric = output.getDataType() == DataType.FLOAT32 || output.getDataType() == DataType.FLOAT64;
            if (numeric && shape.dimension() == 2 && shape.get(0) == rows && shape.get(1) == classes) {
                return output;
            }
            if (numeric && !schema.isClassification() && shape.dimension() == 1 && shape.get(0) == rows) {
                return output;
            }
        }
        throw new IntegrityException("model: " + FILE + " outputs " + outputs.getShapes().length + " tensor(s) "
                + Arrays.toString(outputs.getShapes()) + " but none is float [" + rows + ", " + classes
                + "]; export the model with a probability output of one column per class in " + ModelSchema.FILE);
    }

    private static double[] toDouble(float[] values) {
        double[] doubles = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            doubles[i] = values[i];
        }
        return doubles;
    }

    @Override
    public void close() {
        model.close();
    }
}
