package dev.mlops.train;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.metric.Metrics;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.initializer.Initializer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import dev.mlops.error.InvalidInputException;
import dev.mlops.model.DjlMlp;
import dev.mlops.model.MlpDescriptor;
import dev.mlops.model.ModelSchema;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.function.IntToDoubleFunction;

/**
 * The built-in trainer: a multi-layer perceptron for a tabular CSV, on DJL's PyTorch engine, fully
 * offline. Classification uses softmax cross-entropy, regression L2 loss on a standardised label;
 * the optimiser is Adam. Features are standardised with the training split's mean and standard
 * deviation, which are stored in {@code mlp.json}.
 *
 * <p>Parameters: {@code hidden} (widths, default "64,32"), {@code epochs} (20), {@code batch_size}
 * (64), {@code learning_rate} (0.01), {@code label} (default: a column named "label", else the
 * last column), {@code features} (default: every numeric column but the label),
 * {@code validation_split} (0.2), {@code task} (auto: a text label, or whole numbers with at most
 * 20 distinct values, is classification).
 *
 * <p>Deterministic for a seed on the same machine: the split and the per-epoch shuffles come from a
 * {@link SplittableRandom} seeded with it, weights start from Glorot-uniform values drawn from the
 * same generator (biases zero), and the engine seed is set too. Tests check that two runs write
 * byte-identical parameter files.
 *
 * <p>Device: {@code Device.gpu()} when DJL reports a GPU, else the CPU; the run records which.
 * With DJL 0.35.1 the only PyTorch natives on Maven Central are CPU builds (there is no CUDA build
 * of PyTorch 2.7.1 there; pytorch-native-cu124 stops at 2.5.1), so in practice this trains on the
 * CPU even on a GPU agent, and the run's environment says so. Use a {@link CommandTrainer} for GPU
 * training.
 *
 * <p>Output: {@code mlp-NNNN.params} (DJL parameters, NNNN = epochs), {@code schema.json} and
 * {@code mlp.json} (format "djl-mlp"). Metrics per epoch: {@code loss} (training), {@code val_loss},
 * and {@code val_accuracy} or {@code val_rmse} and {@code val_r2}.
 */
public final class DjlMlpTrainer implements Trainer {
    public static final String ID = "djl-mlp";
    /** Version of this training procedure; the DJL version is appended in {@link #version()}. */
    public static final String ALGORITHM_VERSION = "1";
    static final String ENGINE = "PyTorch";
    static final String GPU_NOTE = "DJL 0.35.1 runs PyTorch 2.7.1 and Maven Central has no CUDA build of those natives "
            + "(pytorch-native-cu124 stops at 2.5.1), so djl-mlp trains on the CPU even where a GPU is present";
    private static final int EVAL_BATCH = 8192;

    private volatile boolean cancelRequested;

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String version() {
        return ALGORITHM_VERSION + "+djl" + Engine.getDjlVersion();
    }

    @Override
    public void cancel() {
        cancelRequested = true;
    }

    @Override
    public void validate(TrainRequest request) {
        MlpSettings settings = MlpSettings.parse(request.params());
        if (request.datasets().isEmpty()) {
            throw new InvalidInputException("data: djl-mlp needs a training CSV; pass --data train.csv");
        }
        Path csv = request.resolve(request.datasets().get(0));
        TabularData.checkColumns(csv, CsvTable.header(csv), settings);
    }

    @Override
    public TrainResult train(TrainRequest request, Path outputDir, TrainingListener listener) {
        cancelRequested = false;
        validate(request);
        MlpSettings settings = MlpSettings.parse(request.params());
        long startNanos = System.nanoTime();
        long startCpu = processCpuNanos();
        TabularData data = TabularData.of(CsvTable.read(request.resolve(request.datasets().get(0))), settings);
        Split split = Split.of(data, settings.validationSplit(), new SplittableRandom(request.seed()));
        SplittableRandom random = new SplittableRandom(request.seed() ^ 0x5DEECE66DL);

        Engine engine = Engine.getEngine(ENGINE);
        engine.setRandomSeed((int) request.seed());
        Device device = engine.getGpuCount() > 0 ? Device.gpu() : Device.cpu();
        Map<String, String> environment = environment(engine, device);
        int outputs = data.isClassification() ? data.classes().size() : 1;
        List<EpochMetrics> epochs = new ArrayList<>();
        String paramsFile = String.format(Locale.ROOT, "%s-%04d.params", MlpDescriptor.MODEL_NAME, settings.epochs());
        try (Model model = Model.newInstance(MlpDescriptor.MODEL_NAME, device, ENGINE)) {
            model.setBlock(DjlMlp.block(settings.hidden(), outputs));
            DefaultTrainingConfig config = new DefaultTrainingConfig(data.isClassification() ? Loss.softmaxCrossEntropyLoss() : Loss.l2Loss())
                    .optOptimizer(Optimizer.adam().optLearningRateTracker(Tracker.fixed(settings.learningRate())).build())
                    .optInitializer(new GlorotUniform(random), Parameter.Type.WEIGHT)
                    .optInitializer(Initializer.ZEROS, Parameter.Type.BIAS)
                    .optDevices(new Device[] {device});
            try (ai.djl.training.Trainer trainer = model.newTrainer(config)) {
                trainer.setMetrics(new Metrics());
                trainer.initialize(new Shape(1, data.features().size()));
                for (int epoch = 1; epoch <= settings.epochs(); epoch++) {
                    Double loss = trainEpoch(trainer, split, settings.batchSize(), random);
                    if (loss == null) {
                        return cancelled(startNanos, startCpu, epochs, device, environment);
                    }
                    Map<String, Double> metrics = new LinkedHashMap<>();
                    metrics.put("loss", loss);
                    metrics.putAll(evaluate(trainer, split, data));
                    epochs.add(new EpochMetrics(epoch, metrics));
                    long elapsed = System.nanoTime() - startNanos;
                    listener.progress(new TrainingProgress(epoch, settings.epochs(), metrics,
                            Duration.ofNanos(elapsed / epoch * (settings.epochs() - epoch))));
                }
                model.setProperty("Epoch", Integer.toString(settings.epochs()));
                model.save(outputDir, MlpDescriptor.MODEL_NAME);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the model to " + outputDir, e);
        }
        new ModelSchema(data.task(), data.features(), data.label(), data.classes()).write(outputDir);
        new MlpDescriptor(MlpDescriptor.FORMAT, 1, data.task(), data.features().size(), settings.hidden(), outputs,
                MlpDescriptor.RELU, paramsFile, split.featureMean(), split.featureStd(), split.labelMean(), split.labelStd())
                .write(outputDir);
        Map<String, Double> finalMetrics = epochs.isEmpty() ? Map.of() : epochs.get(epochs.size() - 1).metrics();
        return new TrainResult(RunStatus.SUCCEEDED, finalMetrics, epochs, MlpDescriptor.FORMAT, null,
                usage(startNanos, startCpu), deviceName(device), environment, null, List.of());
    }

    /**
     * One pass over the shuffled training rows; the mean loss, or null when cancelled. A plain loop
     * rather than EasyTrain: it reads each batch loss directly (EasyTrain reports null losses unless
     * TrainingListener.Defaults.basic() is added) and can stop between batches.
     */
    private Double trainEpoch(ai.djl.training.Trainer trainer, Split split, int batchSize, SplittableRandom random) {
        int[] order = split.train().clone();
        shuffle(order, random);
        int features = split.x()[0].length;
        float[] xb = new float[batchSize * features];
        float[] yb = new float[batchSize];
        double lossSum = 0;
        for (int start = 0; start < order.length; start += batchSize) {
            if (cancelRequested || Thread.currentThread().isInterrupted()) {
                return null;
            }
            int count = Math.min(batchSize, order.length - start);
            for (int r = 0; r < count; r++) {
                System.arraycopy(split.x()[order[start + r]], 0, xb, r * features, features);
                yb[r] = split.y()[order[start + r]];
            }
            try (NDManager scope = trainer.getManager().newSubManager()) {
                NDArray x = scope.create(FloatBuffer.wrap(xb, 0, count * features), new Shape(count, features));
                NDArray y = split.classification()
                        ? scope.create(FloatBuffer.wrap(yb, 0, count), new Shape(count)).toType(DataType.INT64, false)
                        : scope.create(FloatBuffer.wrap(yb, 0, count), new Shape(count, 1));
                try (GradientCollector collector = trainer.newGradientCollector()) {
                    NDArray loss = trainer.getLoss().evaluate(new NDList(y), trainer.forward(new NDList(x)));
                    collector.backward(loss);
                    lossSum += loss.getFloat() * count;
                }
                trainer.step();
            }
        }
        return lossSum / order.length;
    }

    /** Validation metrics, computed in Java from the network's outputs; empty without a validation split. */
    private static Map<String, Double> evaluate(ai.djl.training.Trainer trainer, Split split, TabularData data) {
        int[] rows = split.validation();
        if (rows.length == 0) {
            return Map.of();
        }
        int features = split.x()[0].length;
        int outputs = data.isClassification() ? data.classes().size() : 1;
        float[] raw = new float[rows.length * outputs];
        for (int start = 0; start < rows.length; start += EVAL_BATCH) {
            int count = Math.min(EVAL_BATCH, rows.length - start);
            float[] xb = new float[count * features];
            for (int r = 0; r < count; r++) {
                System.arraycopy(split.x()[rows[start + r]], 0, xb, r * features, features);
            }
            try (NDManager scope = trainer.getManager().newSubManager()) {
                NDList out = trainer.evaluate(new NDList(scope.create(xb, new Shape(count, features))));
                System.arraycopy(out.singletonOrThrow().toFloatArray(), 0, raw, start * outputs, count * outputs);
            }
        }
        Map<String, Double> metrics = new LinkedHashMap<>();
        if (data.isClassification()) {
            double loss = 0;
            int correct = 0;
            for (int r = 0; r < rows.length; r++) {
                int label = (int) split.y()[rows[r]];
                double max = Double.NEGATIVE_INFINITY;
                int best = 0;
                for (int j = 0; j < outputs; j++) {
                    if (raw[r * outputs + j] > max) {
                        max = raw[r * outputs + j];
                        best = j;
                    }
                }
                double sum = 0;
                for (int j = 0; j < outputs; j++) {
                    sum += Math.exp(raw[r * outputs + j] - max);
                }
                loss += -(raw[r * outputs + label] - max - Math.log(sum));
                correct += best == label ? 1 : 0;
            }
            metrics.put("val_loss", loss / rows.length);
            metrics.put("val_accuracy", (double) correct / rows.length);
        } else {
            double squared = 0;
            double standardisedSquared = 0;
            double mean = 0;
            for (int r : rows) {
                mean += split.rawY()[r];
            }
            mean /= rows.length;
            double total = 0;
            for (int r = 0; r < rows.length; r++) {
                double predicted = raw[r] * split.labelStd() + split.labelMean();
                double actual = split.rawY()[rows[r]];
                squared += (predicted - actual) * (predicted - actual);
                standardisedSquared += (raw[r] - split.y()[rows[r]]) * (raw[r] - split.y()[rows[r]]);
                total += (actual - mean) * (actual - mean);
            }
            metrics.put("val_loss", 0.5 * standardisedSquared / rows.length); // DJL's L2Loss is half the mean square
            metrics.put("val_rmse", Math.sqrt(squared / rows.length));
            metrics.put("val_r2", total > 0 ? 1 - squared / total : 0);
        }
        return metrics;
    }

    private TrainResult cancelled(long startNanos, long startCpu, List<EpochMetrics> epochs, Device device, Map<String, String> environment) {
        return new TrainResult(RunStatus.CANCELLED, Map.of(), epochs, MlpDescriptor.FORMAT, null, usage(startNanos, startCpu),
                deviceName(device), environment, "cancelled after " + epochs.size() + " epoch(s)", List.of());
    }

    /** "cpu" or "gpu(N)". */
    static String deviceName(Device device) {
        return device.isGpu() ? "gpu(" + device.getDeviceId() + ")" : "cpu";
    }

    static void shuffle(int[] values, SplittableRandom random) {
        for (int i = values.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int swap = values[i];
            values[i] = values[j];
            values[j] = swap;
        }
    }

    /** DJL and PyTorch versions, the device, and the CPU-only caveat when the natives are the CPU build. */
    static Map<String, String> environment(Engine engine, Device device) {
        Map<String, String> environment = new LinkedHashMap<>();
        environment.put("djl.version", Engine.getDjlVersion());
        environment.put("djl.engine", engine.getEngineName() + " " + engine.getVersion());
        environment.put("djl.device", deviceName(device));
        environment.put("djl.gpus", Integer.toString(engine.getGpuCount()));
        Properties natives = new Properties();
        try (InputStream in = DjlMlpTrainer.class.getClassLoader().getResourceAsStream("native/lib/pytorch.properties")) {
            if (in != null) {
                natives.load(new InputStreamReader(in, StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            // only informative
        }
        String flavor = natives.getProperty("flavor", System.getenv().getOrDefault("PYTORCH_FLAVOR", "unknown"));
        environment.put("pytorch.flavor", flavor);
        if (flavor.equals("cpu")) {
            environment.put("gpu.note", GPU_NOTE);
        }
        return environment;
    }

    /** JVM-wide figures: CPU time of the whole process over the run, and its VmHWM (peak since the JVM started). */
    private static ResourceUsage usage(long startNanos, long startCpu) {
        long cpu = processCpuNanos();
        return new ResourceUsage((System.nanoTime() - startNanos) / 1_000_000,
                cpu < 0 || startCpu < 0 ? -1 : (cpu - startCpu) / 1_000_000, jvmPeakRss());
    }

    private static long processCpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return -1;
    }

    private static long jvmPeakRss() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"), StandardCharsets.US_ASCII)) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.substring(6).trim().split("\\s+")[0]) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return -1;
    }

    /** Weights uniform in ±sqrt(6 / (fanIn + fanOut)) from the run's seeded generator, so initialisation is reproducible. */
    private static final class GlorotUniform implements Initializer {
        private final SplittableRandom random;

        GlorotUniform(SplittableRandom random) {
            this.random = random;
        }

        @Override
        public NDArray initialize(NDManager manager, Shape shape, DataType dataType) {
            long fanOut = shape.get(0);
            long fanIn = shape.dimension() > 1 ? shape.size() / fanOut : fanOut;
            double bound = Math.sqrt(6.0 / (fanIn + fanOut));
            float[] values = new float[Math.toIntExact(shape.size())];
            for (int i = 0; i < values.length; i++) {
                values[i] = (float) ((random.nextDouble() * 2 - 1) * bound);
            }
            return manager.create(values, shape).toType(dataType, false);
        }
    }

    /**
     * Train/validation rows after a seeded shuffle, features standardised with the training rows'
     * statistics (and a regression label too); {@code rawY} keeps the original label.
     */
    record Split(float[][] x, float[] y, float[] rawY, int[] train, int[] validation, boolean classification,
                 List<Double> featureMean, List<Double> featureStd, double labelMean, double labelStd) {
        static Split of(TabularData data, double validationSplit, SplittableRandom random) {
            int n = data.x().length;
            int[] order = new int[n];
            for (int i = 0; i < n; i++) {
                order[i] = i;
            }
            shuffle(order, random);
            int validationRows = (int) Math.round(n * validationSplit);
            if (n - validationRows < 1) {
                throw new InvalidInputException("validation_split: leaves no training rows of " + n + "; lower it or add data");
            }
            int[] train = Arrays.copyOfRange(order, 0, n - validationRows);
            int[] validation = Arrays.copyOfRange(order, n - validationRows, n);
            int features = data.features().size();
            List<Double> means = new ArrayList<>();
            List<Double> stds = new ArrayList<>();
            for (int f = 0; f < features; f++) {
                int feature = f;
                double[] stats = meanStd(train, r -> data.x()[r][feature]);
                means.add(stats[0]);
                stds.add(stats[1]);
            }
            MlpDescriptor.Scaler scaler = MlpDescriptor.Scaler.of(means, stds);
            float[][] x = new float[n][features];
            for (int r = 0; r < n; r++) {
                scaler.apply(data.x()[r], x[r], 0);
            }
            double labelMean = 0;
            double labelStd = 1;
            float[] y = data.y();
            if (!data.isClassification()) {
                double[] stats = meanStd(train, r -> data.y()[r]);
                labelMean = stats[0];
                labelStd = stats[1];
                y = new float[n];
                for (int r = 0; r < n; r++) {
                    y[r] = (float) ((data.y()[r] - labelMean) / labelStd);
                }
            }
            return new Split(x, y, data.y(), train, validation, data.isClassification(), means, stds, labelMean, labelStd);
        }

        private static double[] meanStd(int[] rows, IntToDoubleFunction value) {
            double mean = 0;
            for (int r : rows) {
                mean += value.applyAsDouble(r);
            }
            mean /= rows.length;
            double variance = 0;
            for (int r : rows) {
                double d = value.applyAsDouble(r) - mean;
                variance += d * d;
            }
            double std = Math.sqrt(variance / rows.length);
            return new double[] {mean, std > 1e-12 ? std : 1.0};
        }
    }
}
