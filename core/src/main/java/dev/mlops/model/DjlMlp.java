package dev.mlops.model;

import ai.djl.nn.Activation;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import java.util.List;

/** The DJL block of a "djl-mlp" model; training and loading build it from the same description. */
public final class DjlMlp {
    private DjlMlp() {
    }

    /** Linear → ReLU for each hidden width, then Linear to {@code outputs}. */
    public static SequentialBlock block(List<Integer> hidden, int outputs) {
        SequentialBlock block = new SequentialBlock();
        for (int width : hidden) {
            block.add(Linear.builder().setUnits(width).build());
            block.add(Activation.reluBlock());
        }
        block.add(Linear.builder().setUnits(outputs).build());
        return block;
    }

    public static SequentialBlock block(MlpDescriptor descriptor) {
        return block(descriptor.hidden(), descriptor.outputs());
    }
}
