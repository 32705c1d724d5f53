package dev.mlops.serve;

/**
 * One input tensor of an inference request, as parsed: values flattened row-major into floats.
 *
 * @param shape    as sent
 * @param datatype as sent (checked against the values by {@link InferCodec})
 * @param data     the values, {@code count} of them used
 */
record Tensor(String name, long[] shape, String datatype, float[] data, int count) {
    long elements() {
        long n = 1;
        for (long d : shape) {
            n = d == 0 ? 0 : (n > Long.MAX_VALUE / d ? Long.MAX_VALUE : n * d);
        }
        return n;
    }
}
