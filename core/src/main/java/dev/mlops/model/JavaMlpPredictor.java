package dev.mlops.model;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Scores a "djl-mlp" model in plain Java, reading the same {@code .params} file as DJL
 * ({@link DjlParams}). No native engine is loaded, so loading takes milliseconds. Rows are scored in
 * chunks across the common fork-join pool, each chunk in blocks of 256 rows laid out column-wise
 * so the inner loop is a vectorisable multiply-add over rows. Agrees with DJL's PyTorch forward
 * pass to about 1e-6 (float32, different summation order).
 */
final class JavaMlpPredictor implements Predictor {
    private static final int CHUNK = 8192;
    private static final int BLOCK = 256;

    private final ModelSchema schema;
    private final MlpDescriptor mlp;
    private final MlpDescriptor.Scaler scaler;
    private final int[] widths;
    /** Per layer: weights [out][in], row-major as DJL stores them. */
    private final float[][] weights;
    private final float[][] biases;
    private final int maxWidth;

    JavaMlpPredictor(ModelSchema schema, MlpDescriptor mlp, Path modelDir) {
        this.schema = schema;
        this.mlp = mlp;
        this.scaler = mlp.scaler();
        this.widths = mlp.widths();
        Path paramsFile = modelDir.resolve(mlp.paramsFile());
        List<DjlParams.Array> arrays = DjlParams.read(paramsFile);
        int layers = widths.length - 1;
        if (arrays.size() != 2 * layers) {
            throw DjlParams.corrupt(paramsFile, "it holds " + arrays.size() + " arrays but " + MlpDescriptor.FILE
                    + " describes " + layers + " layers (" + 2 * layers + " arrays)");
        }
        weights = new float[layers][];
        biases = new float[layers][];
        int widest = 0;
        for (int l = 0; l < layers; l++) {
            int in = widths[l];
            int out = widths[l + 1];
            DjlParams.Array weight = arrays.get(2 * l);
            DjlParams.Array bias = arrays.get(2 * l + 1);
            if (weight.shape().length != 2 || weight.shape()[0] != out || weight.shape()[1] != in
                    || bias.shape().length != 1 || bias.shape()[0] != out) {
                throw DjlParams.corrupt(paramsFile, "layer " + (l + 1) + " has " + weight.name() + " " + weight.describeShape()
                        + " and " + bias.name() + " " + bias.describeShape() + " but " + MlpDescriptor.FILE + " expects ["
                        + out + ", " + in + "] and [" + out + "]");
            }
            weights[l] = weight.values();
            biases[l] = bias.values();
            widest = Math.max(widest, Math.max(in, out));
        }
        maxWidth = widest;
    }

    @Override
    public ModelSchema schema() {
        return schema;
    }

    @Override
    public double[][] predict(float[][] rows) {
        Rows.check(rows, schema);
        double[][] out = new double[rows.length][];
        int chunks = (rows.length + CHUNK - 1) / CHUNK;
        if (chunks <= 1) {
            score(rows, 0, rows.length, out);
        } else {
            IntStream.range(0, chunks).parallel()
                    .forEach(c -> score(rows, c * CHUNK, Math.min(rows.length, (c + 1) * CHUNK), out));
        }
        return out;
    }

    /**
     * Scores rows {@code from..to} in blocks of {@value #BLOCK} rows held column-wise (one
     * {@code float[BLOCK]} per feature or unit). The innermost loop is then
     * {@code acc[r] += w * column[r]} over the rows of a block: two arrays at the same index, which
     * C2 vectorises (with an offset into a shared array it does not, as measured on JDK 17).
     */
    private void score(float[][] rows, int from, int to, double[][] out) {
        float[][] a = new float[maxWidth][BLOCK];
        float[][] b = new float[maxWidth][BLOCK];
        float[] row = new float[widths[0]];
        float[] logits = new float[widths[widths.length - 1]];
        int last = weights.length - 1;
        for (int start = from; start < to; start += BLOCK) {
            int count = Math.min(BLOCK, to - start);
            for (int r = 0; r < count; r++) {
                scaler.apply(rows[start + r], row, 0);
                for (int i = 0; i < row.length; i++) {
                    a[i][r] = row[i];
                }
            }
            float[][] in = a;
            float[][] next = b;
            for (int l = 0; l <= last; l++) {
                int inWidth = widths[l];
                int outWidth = widths[l + 1];
                float[] w = weights[l];
                for (int j = 0; j < outWidth; j++) {
                    float[] acc = next[j];
                    Arrays.fill(acc, biases[l][j]);
                    int offset = j * inWidth;
                    for (int i = 0; i < inWidth; i++) {
                        float wji = w[offset + i];
                        float[] column = in[i];
                        for (int r = 0; r < BLOCK; r++) {
                            acc[r] += wji * column[r];
                        }
                    }
                    if (l < last) {
                        for (int r = 0; r < BLOCK; r++) {
                            acc[r] = Math.max(acc[r], 0f);
                        }
                    }
                }
                float[][] swap = in;
                in = next;
                next = swap;
            }
            for (int r = 0; r < count; r++) {
                for (int j = 0; j < logits.length; j++) {
                    logits[j] = in[j][r];
                }
                out[start + r] = Rows.finish(logits, 0, mlp);
            }
        }
    }
}
