package dev.mlops.serve;

import java.util.List;

/** A parsed Open Inference Protocol request: {@code id} (null when absent), inputs and the output names asked for (empty: all). */
record InferRequest(String id, List<Tensor> inputs, List<String> outputs) {
    InferRequest {
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
    }
}
