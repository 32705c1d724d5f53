package dev.mlops.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl;
import dev.mlops.error.IntegrityException;
import dev.mlops.error.InvalidInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A Gemm → Relu → Gemm → Softmax model written from Java (ONNX protobuf, opset 13) and loaded through DJL's OnnxRuntime engine. */
class OnnxModelTest {
    static final int FEATURES = 6;
    static final int HIDDEN = 8;
    static final int CLASSES = 3;

    @TempDir
    Path dir;

    final Random random = new Random(11);
    final float[] w1 = weights(HIDDEN * FEATURES);
    final float[] b1 = weights(HIDDEN);
    final float[] w2 = weights(CLASSES * HIDDEN);
    final float[] b2 = weights(CLASSES);

    @Test
    void onnxRuntimeMatchesAPlainJavaForwardPass() throws IOException {
        writeModel(dir);
        float[][] rows = new float[1000][FEATURES];
        for (float[] row : rows) {
            for (int f = 0; f < FEATURES; f++) {
                row[f] = (float) random.nextGaussian();
            }
        }
        try (Predictor predictor = ModelLoader.load(dir)) {
            assertEquals(List.of("a", "b", "c"), predictor.schema().classes());
            double[][] scores = predictor.predict(rows);
            double max = 0;
            for (int r = 0; r < rows.length; r++) {
                double[] expected = forward(rows[r]);
                assertEquals(1.0, scores[r][0] + scores[r][1] + scores[r][2], 1e-5);
                for (int c = 0; c < CLASSES; c++) {
                    max = Math.max(max, Math.abs(expected[c] - scores[r][c]));
                }
            }
            assertTrue(max < 1e-5, "max difference " + max);
        }
    }

    @Test
    void onnxIsOnlyScoredThroughOnnxRuntime() throws IOException {
        writeModel(dir);
        assertEquals("onnx", ModelLoader.format(dir));
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> ModelLoader.load(dir, ModelLoader.Backend.JAVA));
        assertTrue(e.getMessage().startsWith("backend: JAVA scores djl-mlp models only"), e.getMessage());
    }

    @Test
    void damagedOnnxFileNamesTheFile() throws IOException {
        writeModel(dir);
        Files.writeString(dir.resolve("model.onnx"), "garbage");
        IntegrityException e = assertThrows(IntegrityException.class, () -> ModelLoader.load(dir));
        assertTrue(e.getMessage().startsWith("model: " + dir.resolve("model.onnx") + " cannot be loaded by ONNX Runtime"), e.getMessage());
    }

    void writeModel(Path target) throws IOException {
        OnnxMl.GraphProto graph = OnnxMl.GraphProto.newBuilder()
                .setName("mlp")
                .addInput(valueInfo("input", FEATURES))
                .addOutput(valueInfo("probabilities", CLASSES))
                .addInitializer(tensor("W1", w1, HIDDEN, FEATURES))
                .addInitializer(tensor("B1", b1, HIDDEN))
                .addInitializer(tensor("W2", w2, CLASSES, HIDDEN))
                .addInitializer(tensor("B2", b2, CLASSES))
                .addNode(gemm("input", "W1", "B1", "hidden"))
                .addNode(OnnxMl.NodeProto.newBuilder().setOpType("Relu").addInput("hidden").addOutput("activated"))
                .addNode(gemm("activated", "W2", "B2", "logits"))
                .addNode(OnnxMl.NodeProto.newBuilder().setOpType("Softmax").addInput("logits").addOutput("probabilities")
                        .addAttribute(OnnxMl.AttributeProto.newBuilder().setName("axis").setType(OnnxMl.AttributeProto.AttributeType.INT).setI(1)))
                .build();
        OnnxMl.ModelProto model = OnnxMl.ModelProto.newBuilder()
                .setIrVersion(8)
                .setProducerName("mlops-test")
                .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setDomain("").setVersion(13))
                .setGraph(graph)
                .build();
        Files.write(target.resolve("model.onnx"), model.toByteArray());
        new ModelSchema(ModelSchema.CLASSIFICATION, List.of("f1", "f2", "f3", "f4", "f5", "f6"), "y", List.of("a", "b", "c")).write(target);
    }

    double[] forward(float[] x) {
        float[] hidden = new float[HIDDEN];
        for (int h = 0; h < HIDDEN; h++) {
            float sum = b1[h];
            for (int f = 0; f < FEATURES; f++) {
                sum += w1[h * FEATURES + f] * x[f];
            }
            hidden[h] = Math.max(0, sum);
        }
        float[] logits = new float[CLASSES];
        for (int c = 0; c < CLASSES; c++) {
            float sum = b2[c];
            for (int h = 0; h < HIDDEN; h++) {
                sum += w2[c * HIDDEN + h] * hidden[h];
            }
            logits[c] = sum;
        }
        double max = Math.max(logits[0], Math.max(logits[1], logits[2]));
        double[] p = new double[CLASSES];
        double total = 0;
        for (int c = 0; c < CLASSES; c++) {
            p[c] = Math.exp(logits[c] - max);
            total += p[c];
        }
        for (int c = 0; c < CLASSES; c++) {
            p[c] /= total;
        }
        return p;
    }

    static OnnxMl.NodeProto gemm(String input, String weight, String bias, String output) {
        return OnnxMl.NodeProto.newBuilder().setOpType("Gemm").addInput(input).addInput(weight).addInput(bias).addOutput(output)
                .addAttribute(OnnxMl.AttributeProto.newBuilder().setName("transB").setType(OnnxMl.AttributeProto.AttributeType.INT).setI(1))
                .build();
    }

    static OnnxMl.ValueInfoProto valueInfo(String name, int width) {
        OnnxMl.TensorShapeProto shape = OnnxMl.TensorShapeProto.newBuilder()
                .addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimParam("N"))
                .addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimValue(width))
                .build();
        return OnnxMl.ValueInfoProto.newBuilder().setName(name)
                .setType(OnnxMl.TypeProto.newBuilder().setTensorType(OnnxMl.TypeProto.Tensor.newBuilder()
                        .setElemType(OnnxMl.TensorProto.DataType.FLOAT.getNumber()).setShape(shape)))
                .build();
    }

    static OnnxMl.TensorProto tensor(String name, float[] values, long... dims) {
        List<Float> data = new ArrayList<>();
        for (float value : values) {
            data.add(value);
        }
        OnnxMl.TensorProto.Builder tensor = OnnxMl.TensorProto.newBuilder().setName(name)
                .setDataType(OnnxMl.TensorProto.DataType.FLOAT.getNumber()).addAllFloatData(data);
        for (long dim : dims) {
            tensor.addDims(dim);
        }
        return tensor.build();
    }

    float[] weights(int n) {
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = (float) (random.nextGaussian() * 0.7);
        }
        return values;
    }
}
