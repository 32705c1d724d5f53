package dev.mlops.model;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.NoopTranslator;
import ai.djl.translate.TranslateException;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Scores a "djl-mlp" model through DJL's PyTorch engine: the block is rebuilt from mlp.json and the
 * parameters loaded with {@link Model#load}. Rows go to PyTorch in batches of {@value #BATCH};
 * standardisation and softmax run in Java, exactly as in {@link JavaMlpPredictor}.
 */
final class DjlMlpPredictor implements Predictor {
    static final String ENGINE = "PyTorch";
    static final int BATCH = 32768;
    private static final Pattern PARAMS_FILE = Pattern.compile("(.+)-(\\d{4})\\.params");

    private final ModelSchema schema;
    private final MlpDescriptor mlp;
    private final MlpDescriptor.Scaler scaler;
    private final Model model;

    DjlMlpPredictor(ModelSchema schema, MlpDescriptor mlp, Path modelDir) {
        this.schema = schema;
        this.mlp = mlp;
        this.scaler = mlp.scaler();
        Path paramsFile = modelDir.resolve(mlp.paramsFile());
        Matcher name = PARAMS_FILE.matcher(mlp.paramsFile());
        if (!name.matches()) {
            throw DjlParams.corrupt(paramsFile, "DJL parameter files are named NAME-NNNN.params");
        }
        Model loaded = Model.newInstance(name.group(1), Device.cpu(), ENGINE);
        try {
            loaded.setBlock(DjlMlp.block(mlp));
            loaded.load(modelDir, name.group(1), Map.of("epoch", Integer.parseInt(name.group(2))));
        } catch (IOException | MalformedModelException | RuntimeException e) {
            loaded.close();
            throw DjlParams.corrupt(paramsFile, "DJL cannot load it: " + ModelSchema.firstLine(e));
        }
        this.model = loaded;
    }

    @Override
    public ModelSchema schema() {
        return schema;
    }

    @Override
    public double[][] predict(float[][] rows) {
        Rows.check(rows, schema);
        int features = mlp.inputs();
        double[][] out = new double[rows.length][];
        float[] flat = new float[Math.min(BATCH, rows.length) * features];
        try (ai.djl.inference.Predictor<NDList, NDList> predictor = model.newPredictor(new NoopTranslator())) {
            for (int start = 0; start < rows.length; start += BATCH) {
                int count = Math.min(BATCH, rows.length - start);
                for (int r = 0; r < count; r++) {
                    scaler.apply(rows[start + r], flat, r * features);
                }
                try (NDManager batch = model.getNDManager().newSubManager()) {
                    NDArray x = batch.create(FloatBuffer.wrap(flat, 0, count * features), new Shape(count, features));
                    NDList result = predictor.predict(new NDList(x));
                    float[] raw = result.singletonOrThrow().toFloatArray();
                    result.close();
                    int width = mlp.outputs();
                    for (int r = 0; r < count; r++) {
                        out[start + r] = Rows.finish(raw, r * width, mlp);
                    }
                }
            }
        } catch (TranslateException e) {
            throw new IllegalStateException("PyTorch could not score the rows: " + e.getMessage(), e);
        }
        return out;
    }

    @Override
    public void close() {
        model.close();
    }
}
