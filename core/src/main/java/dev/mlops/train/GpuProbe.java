package dev.mlops.train;

import ai.djl.util.cuda.CudaUtils;
import dev.mlops.error.InvalidInputException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Which GPUs this agent has: {@code nvidia-smi --query-gpu=name,driver_version --format=csv,noheader}
 * (absent, failing or slow means none) and DJL's CUDA probe, which loads no deep-learning engine.
 */
public final class GpuProbe {
    public static final String NVIDIA_SMI = "nvidia-smi";
    private static final long TIMEOUT_SECONDS = 10;

    private final String nvidiaSmi;

    public GpuProbe() {
        this(NVIDIA_SMI);
    }

    /** {@code nvidiaSmi}: the executable to run (a path, or a name looked up on PATH). */
    public GpuProbe(String nvidiaSmi) {
        this.nvidiaSmi = nvidiaSmi;
    }

    /** The GPUs nvidia-smi lists; empty when it is not installed, fails or lists none. */
    public List<GpuInfo> nvidiaGpus() {
        Process process;
        try {
            process = new ProcessBuilder(nvidiaSmi, "--query-gpu=name,driver_version", "--format=csv,noheader")
                    .redirectErrorStream(true).start();
        } catch (IOException e) {
            return List.of();
        }
        try (InputStream in = process.getInputStream()) {
            process.getOutputStream().close();
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return List.of();
            }
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return process.exitValue() == 0 ? parse(text) : List.of();
        } catch (IOException e) {
            return List.of();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            return List.of();
        }
    }

    static List<GpuInfo> parse(String csv) {
        List<GpuInfo> gpus = new ArrayList<>();
        for (String line : csv.split("\\R")) {
            int comma = line.lastIndexOf(',');
            if (comma > 0 && !line.isBlank()) {
                gpus.add(new GpuInfo(line.substring(0, comma).trim(), line.substring(comma + 1).trim()));
            }
        }
        return gpus;
    }

    /** GPUs DJL's CUDA probe sees (through the CUDA runtime library; 0 without one). */
    public int djlGpuCount() {
        try {
            return CudaUtils.getGpuCount();
        } catch (RuntimeException | LinkageError e) {
            return 0;
        }
    }

    /**
     * Fails fast when no GPU is visible: nvidia-smi lists none (or is absent) and DJL reports 0.
     * The message names the host and, on Jenkins, the agent (NODE_NAME).
     */
    public void requireGpu(Map<String, String> env) {
        List<GpuInfo> gpus = nvidiaGpus();
        if (!gpus.isEmpty() || djlGpuCount() > 0) {
            return;
        }
        String node = env.get("NODE_NAME");
        throw new InvalidInputException("require-gpu: no GPU visible on host " + RunEnvironment.hostname(env)
                + (node != null && !node.isBlank() ? " (agent " + node + ")" : "")
                + ": nvidia-smi lists none and DJL reports 0 GPUs; run on a GPU agent (e.g. agent { label 'gpu' }) or drop --require-gpu");
    }
}
