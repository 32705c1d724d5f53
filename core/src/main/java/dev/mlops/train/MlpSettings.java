package dev.mlops.train;

import dev.mlops.error.InvalidInputException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The parameters of {@link DjlMlpTrainer}, checked; each error names the parameter and an example. */
record MlpSettings(List<Integer> hidden, int epochs, int batchSize, float learningRate, String label,
                   List<String> features, double validationSplit, String task) {
    static final List<String> NAMES = List.of("hidden", "epochs", "batch_size", "learning_rate", "label", "features",
            "validation_split", "task");

    static MlpSettings parse(Map<String, String> params) {
        for (String name : params.keySet()) {
            if (!NAMES.contains(name)) {
                throw new InvalidInputException("params." + name + ": unknown parameter of djl-mlp; known: " + String.join(", ", NAMES));
            }
        }
        List<Integer> hidden = new ArrayList<>();
        String hiddenText = params.getOrDefault("hidden", "64,32").trim();
        if (!hiddenText.isEmpty() && !hiddenText.equals("none")) {
            for (String width : hiddenText.split(",")) {
                hidden.add(positiveInt("hidden", width, "64,32"));
            }
        }
        int epochs = positiveInt("epochs", params.getOrDefault("epochs", "20"), "20");
        int batchSize = positiveInt("batch_size", params.getOrDefault("batch_size", "64"), "64");
        double learningRate = number("learning_rate", params.getOrDefault("learning_rate", "0.01"), "0.01");
        if (!(learningRate > 0 && learningRate < 10)) {
            throw new InvalidInputException("params.learning_rate: " + learningRate + " is not in (0, 10); pass e.g. learning_rate=0.01");
        }
        double split = number("validation_split", params.getOrDefault("validation_split", "0.2"), "0.2");
        if (!(split >= 0 && split < 1)) {
            throw new InvalidInputException("params.validation_split: " + split + " is not in [0, 1); pass e.g. validation_split=0.2");
        }
        String task = params.getOrDefault("task", "auto").trim();
        if (!Set.of("auto", "classification", "regression").contains(task)) {
            throw new InvalidInputException("params.task: '" + task + "' is not auto, classification or regression; pass e.g. task=classification");
        }
        String label = params.get("label");
        List<String> features = params.containsKey("features")
                ? Arrays.stream(params.get("features").split(",")).map(String::trim).filter(f -> !f.isEmpty()).toList()
                : List.of();
        return new MlpSettings(List.copyOf(hidden), epochs, batchSize, (float) learningRate,
                label == null || label.isBlank() ? null : label.trim(), features, split, task);
    }

    private static int positiveInt(String name, String text, String example) {
        try {
            int value = Integer.parseInt(text.trim());
            if (value >= 1) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new InvalidInputException("params." + name + ": '" + text + "' is not a whole number >= 1; pass e.g. " + name + "=" + example);
    }

    private static double number(String name, String text, String example) {
        try {
            return Double.parseDouble(text.trim());
        } catch (NumberFormatException e) {
            throw new InvalidInputException("params." + name + ": '" + text + "' is not a number; pass e.g. " + name + "=" + example);
        }
    }
}
