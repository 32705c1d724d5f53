package dev.mlops.jenkins.train;

import dev.mlops.jenkins.support.BuildPageAction;
import static dev.mlops.jenkins.support.ActionSupport.humanSize;
import static dev.mlops.jenkins.support.ActionSupport.list;
import static dev.mlops.jenkins.support.ActionSupport.map;
import static dev.mlops.jenkins.support.ActionSupport.number;
import static dev.mlops.jenkins.support.ActionSupport.text;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * One training run, attached to the build that trained (or reused) it: a page at
 * {@code <build>/mlops-run-<id>/} (index.jelly) and a line on the build page (summary.jelly).
 * Fields are plain values taken from the run document (schema {@code mlops.run/v1}) and persisted
 * with the build (build.xml); the Jenkins run is transient and restored in {@link #onLoad}.
 */
public class TrainingRunAction extends BuildPageAction {
    private final String id;
    private final String status;
    private final boolean reused;
    private final String trainer;
    private final String trainerVersion;
    private final String command;
    private final String format;
    private final Map<String, String> params;
    private final long seed;
    private final Map<String, Double> metrics;
    private final List<String> epochColumns;
    private final List<EpochRow> epochs;
    private final String host;
    private final String agent;
    private final String java;
    private final String os;
    private final String cpu;
    private final int cpuCores;
    private final long memoryBytes;
    private final List<String> gpus;
    private final Map<String, String> trainerEnvironment;
    private final String startedAt;
    private final String finishedAt;
    private final long wallMillis;
    private final long cpuMillis;
    private final long peakRssBytes;
    private final Integer exitCode;
    private final String outputDir;
    private final List<FileEntry> files;
    private final String gitCommit;
    private final String trainedByBuild;
    private final String error;
    private final List<String> warnings;


    @SuppressWarnings("checkstyle:ParameterNumber")
    private TrainingRunAction(Builder b) {
        this.id = b.id;
        this.status = b.status;
        this.reused = b.reused;
        this.trainer = b.trainer;
        this.trainerVersion = b.trainerVersion;
        this.command = b.command;
        this.format = b.format;
        this.params = new TreeMap<>(b.params);
        this.seed = b.seed;
        this.metrics = new TreeMap<>(b.metrics);
        this.epochColumns = new ArrayList<>(b.epochColumns);
        this.epochs = new ArrayList<>(b.epochs);
        this.host = b.host;
        this.agent = b.agent;
        this.java = b.java;
        this.os = b.os;
        this.cpu = b.cpu;
        this.cpuCores = b.cpuCores;
        this.memoryBytes = b.memoryBytes;
        this.gpus = new ArrayList<>(b.gpus);
        this.trainerEnvironment = new TreeMap<>(b.trainerEnvironment);
        this.startedAt = b.startedAt;
        this.finishedAt = b.finishedAt;
        this.wallMillis = b.wallMillis;
        this.cpuMillis = b.cpuMillis;
        this.peakRssBytes = b.peakRssBytes;
        this.exitCode = b.exitCode;
        this.outputDir = b.outputDir;
        this.files = new ArrayList<>(b.files);
        this.gitCommit = b.gitCommit;
        this.trainedByBuild = b.trainedByBuild;
        this.error = b.error;
        this.warnings = new ArrayList<>(b.warnings);
    }

    private static final class Builder {
        String id;
        String status;
        boolean reused;
        String trainer;
        String trainerVersion;
        String command;
        String format;
        Map<String, String> params = Map.of();
        long seed;
        Map<String, Double> metrics = Map.of();
        List<String> epochColumns = List.of();
        List<EpochRow> epochs = List.of();
        String host;
        String agent;
        String java;
        String os;
        String cpu;
        int cpuCores;
        long memoryBytes = -1;
        List<String> gpus = List.of();
        Map<String, String> trainerEnvironment = Map.of();
        String startedAt;
        String finishedAt;
        long wallMillis;
        long cpuMillis = -1;
        long peakRssBytes = -1;
        Integer exitCode;
        String outputDir;
        List<FileEntry> files = List.of();
        String gitCommit;
        String trainedByBuild;
        String error;
        List<String> warnings = List.of();
    }

    /** Builds the action from a run document ({@code mlops.run/v1} plus {@code reused}) as parsed from JSON. */
    static TrainingRunAction fromDocument(Map<String, Object> doc) {
        Builder b = new Builder();
        b.id = text(doc.get("id"));
        b.status = text(doc.get("status"));
        b.reused = Boolean.TRUE.equals(doc.get("reused"));
        b.trainer = text(doc.get("trainer"));
        b.trainerVersion = text(doc.get("trainerVersion"));
        b.command = text(map(doc.get("trainerConfig")).get("command"));
        b.format = text(doc.get("format"));
        b.params = texts(map(doc.get("params")));
        b.seed = number(doc.get("seed"));
        b.metrics = numbers(map(doc.get("metrics")));

        Set<String> columns = new LinkedHashSet<>();
        List<Map<String, Object>> epochMaps = new ArrayList<>();
        for (Object o : list(doc.get("epochs"))) {
            Map<String, Object> e = map(o);
            epochMaps.add(e);
            columns.addAll(map(e.get("metrics")).keySet());
        }
        List<EpochRow> rows = new ArrayList<>();
        for (Map<String, Object> e : epochMaps) {
            Map<String, Object> m = map(e.get("metrics"));
            List<String> values = new ArrayList<>();
            columns.forEach(c -> values.add(m.get(c) instanceof Number n ? formatMetric(n.doubleValue()) : ""));
            rows.add(new EpochRow((int) number(e.get("epoch")), values));
        }
        b.epochColumns = new ArrayList<>(columns);
        b.epochs = rows;

        Map<String, Object> env = map(doc.get("environment"));
        b.host = text(env.get("host"));
        b.agent = text(env.get("agent"));
        b.java = join(" ", text(env.get("javaVersion")), text(env.get("javaVendor")));
        b.os = join(" ", text(env.get("os")), text(env.get("arch")));
        b.cpu = text(env.get("cpuModel"));
        b.cpuCores = (int) number(env.get("cpuCores"));
        b.memoryBytes = env.get("memoryBytes") instanceof Number n ? n.longValue() : -1;
        List<String> gpus = new ArrayList<>();
        for (Object o : list(env.get("gpus"))) {
            Map<String, Object> g = map(o);
            String driver = text(g.get("driverVersion"));
            gpus.add(text(g.get("name")) + (driver == null || driver.isBlank() ? "" : " (driver " + driver + ")"));
        }
        b.gpus = gpus;
        b.trainerEnvironment = texts(map(env.get("trainer")));

        b.startedAt = text(doc.get("startedAt"));
        b.finishedAt = text(doc.get("finishedAt"));
        Map<String, Object> usage = map(doc.get("usage"));
        b.wallMillis = number(usage.get("wallMillis"));
        b.cpuMillis = usage.get("cpuMillis") instanceof Number n ? n.longValue() : -1;
        b.peakRssBytes = usage.get("peakRssBytes") instanceof Number n ? n.longValue() : -1;
        b.exitCode = doc.get("exitCode") instanceof Number n ? n.intValue() : null;
        b.outputDir = text(doc.get("outputDir"));
        List<FileEntry> files = new ArrayList<>();
        for (Object o : list(doc.get("files"))) {
            Map<String, Object> f = map(o);
            files.add(new FileEntry(text(f.get("path")), text(f.get("sha256")), number(f.get("sizeBytes"))));
        }
        b.files = files;
        Map<String, Object> lineage = map(doc.get("lineage"));
        b.gitCommit = text(map(lineage.get("git")).get("commit"));
        b.trainedByBuild = text(map(lineage.get("build")).get("url"));
        b.error = text(doc.get("error"));
        List<String> warnings = new ArrayList<>();
        list(doc.get("warnings")).forEach(w -> warnings.add(String.valueOf(w)));
        b.warnings = warnings;
        return new TrainingRunAction(b);
    }

    private static Map<String, String> texts(Map<String, Object> map) {
        Map<String, String> out = new TreeMap<>();
        map.forEach((k, v) -> out.put(k, v == null ? "" : v.toString()));
        return out;
    }

    private static Map<String, Double> numbers(Map<String, Object> map) {
        Map<String, Double> out = new TreeMap<>();
        map.forEach((k, v) -> {
            if (v instanceof Number n) {
                out.put(k, n.doubleValue());
            }
        });
        return out;
    }

    private static String join(String sep, String a, String b) {
        if (a == null) {
            return b;
        }
        return b == null ? a : a + sep + b;
    }

    static String formatMetric(double value) {
        return String.format(Locale.ROOT, Math.abs(value) >= 1000 ? "%.1f" : "%.4f", value);
    }

    @Override
    public String getIconFileName() {
        return Messages.ACTION_ICON;
    }

    @Override
    public String getDisplayName() {
        return Messages.actionDisplayName(id);
    }

    /** Unique per run, so one build can train several runs. */
    @Override
    public String getUrlName() {
        return Messages.URL_PREFIX + id;
    }

    public String getId() {
        return id;
    }

    public String getStatus() {
        return status;
    }

    public boolean isSucceeded() {
        return "SUCCEEDED".equals(status);
    }

    /** True when an earlier identical run was reused instead of training again. */
    public boolean isReused() {
        return reused;
    }

    public String getTrainer() {
        return trainer;
    }

    public String getTrainerVersion() {
        return trainerVersion;
    }

    public String getCommand() {
        return command;
    }

    public String getFormat() {
        return format;
    }

    public Map<String, String> getParams() {
        return Collections.unmodifiableMap(params);
    }

    public long getSeed() {
        return seed;
    }

    public Map<String, Double> getMetrics() {
        return Collections.unmodifiableMap(metrics);
    }

    /** Metrics formatted for display, by name. */
    public Map<String, String> getMetricsText() {
        Map<String, String> out = new LinkedHashMap<>();
        metrics.forEach((k, v) -> out.put(k, formatMetric(v)));
        return out;
    }

    public List<String> getEpochColumns() {
        return Collections.unmodifiableList(epochColumns);
    }

    public List<EpochRow> getEpochs() {
        return Collections.unmodifiableList(epochs);
    }

    public String getHost() {
        return host;
    }

    public String getAgent() {
        return agent;
    }

    public String getJava() {
        return java;
    }

    public String getOs() {
        return os;
    }

    public String getCpu() {
        return cpu;
    }

    public int getCpuCores() {
        return cpuCores;
    }

    public String getMemory() {
        return memoryBytes < 0 ? "unknown" : humanSize(memoryBytes);
    }

    public List<String> getGpus() {
        return Collections.unmodifiableList(gpus);
    }

    /** GPUs as one line: "none" or "NVIDIA H100 (driver 550.54), ...". */
    public String getGpusText() {
        return gpus.isEmpty() ? "none visible" : String.join(", ", gpus);
    }

    /** Trainer facts such as djl.version, pytorch.flavor and the device it trained on. */
    public Map<String, String> getTrainerEnvironment() {
        return Collections.unmodifiableMap(trainerEnvironment);
    }

    public String getStartedAt() {
        return startedAt;
    }

    public String getFinishedAt() {
        return finishedAt;
    }

    public String getWallTime() {
        return duration(wallMillis);
    }

    public String getCpuTime() {
        return cpuMillis < 0 ? "unknown" : duration(cpuMillis);
    }

    public String getPeakMemory() {
        return peakRssBytes < 0 ? "unknown" : humanSize(peakRssBytes);
    }

    public Integer getExitCode() {
        return exitCode;
    }

    public String getOutputDir() {
        return outputDir;
    }

    public List<FileEntry> getFiles() {
        return Collections.unmodifiableList(files);
    }

    public String getGitCommit() {
        return gitCommit;
    }

    /** The CI build that trained the run (for a reused run: an earlier build), only when it is http(s). */
    public String getTrainedByBuildLink() {
        return trainedByBuild != null && (trainedByBuild.startsWith("https://") || trainedByBuild.startsWith("http://"))
                ? trainedByBuild : null;
    }

    public String getTrainedByBuild() {
        return trainedByBuild;
    }

    public String getError() {
        return error;
    }

    public List<String> getWarnings() {
        return Collections.unmodifiableList(warnings);
    }

    /** One row of the per-epoch table: values in {@link #getEpochColumns()} order, "" where missing. */
    public static final class EpochRow {
        private final int epoch;
        private final List<String> values;

        EpochRow(int epoch, List<String> values) {
            this.epoch = epoch;
            this.values = new ArrayList<>(values);
        }

        public int getEpoch() {
            return epoch;
        }

        public List<String> getValues() {
            return Collections.unmodifiableList(values);
        }
    }

    /** One model file of the run's output folder. */
    public static final class FileEntry {
        private final String path;
        private final String sha256;
        private final long sizeBytes;

        FileEntry(String path, String sha256, long sizeBytes) {
            this.path = path;
            this.sha256 = sha256;
            this.sizeBytes = sizeBytes;
        }

        public String getPath() {
            return path;
        }

        public String getSha256() {
            return sha256;
        }

        public long getSizeBytes() {
            return sizeBytes;
        }

        public String getSize() {
            return humanSize(sizeBytes);
        }
    }

    static String duration(long millis) {
        if (millis < 1000) {
            return millis + " ms";
        }
        long seconds = Math.round(millis / 1000.0);
        if (seconds < 60) {
            return String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
        }
        return seconds / 3600 > 0
                ? String.format(Locale.ROOT, "%d h %02d min", seconds / 3600, (seconds % 3600) / 60)
                : String.format(Locale.ROOT, "%d min %02d s", seconds / 60, seconds % 60);
    }
}
