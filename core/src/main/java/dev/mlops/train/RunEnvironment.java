package dev.mlops.train;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where a run trained: host and Jenkins agent, Java, OS, CPU, memory, GPUs (nvidia-smi), and
 * trainer-specific facts such as the DJL and PyTorch versions and the device.
 */
public record RunEnvironment(String host, String agent, String javaVersion, String javaVendor, String os, String arch,
                             String cpuModel, int cpuCores, long memoryBytes, List<GpuInfo> gpus, Map<String, String> trainer) {
    public RunEnvironment {
        gpus = gpus == null ? List.of() : List.copyOf(gpus);
        trainer = trainer == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(trainer));
    }

    public static RunEnvironment capture(Map<String, String> env, GpuProbe gpus) {
        long memory = -1;
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            memory = os.getTotalMemorySize();
        }
        return new RunEnvironment(hostname(env), env.get("NODE_NAME"), System.getProperty("java.version"),
                System.getProperty("java.vendor"), System.getProperty("os.name") + " " + System.getProperty("os.version"),
                System.getProperty("os.arch"), readCpuModel(), Runtime.getRuntime().availableProcessors(), memory,
                gpus.nvidiaGpus(), Map.of());
    }

    public RunEnvironment withTrainer(Map<String, String> facts) {
        return new RunEnvironment(host, agent, javaVersion, javaVendor, os, arch, cpuModel, cpuCores, memoryBytes, gpus, facts);
    }

    static String hostname(Map<String, String> env) {
        for (String key : List.of("HOSTNAME", "COMPUTERNAME")) {
            if (env.get(key) != null && !env.get(key).isBlank()) {
                return env.get(key);
            }
        }
        try {
            String name = Files.readString(Path.of("/etc/hostname"), StandardCharsets.UTF_8).trim();
            if (!name.isEmpty()) {
                return name;
            }
        } catch (IOException e) {
            // not Linux
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static String readCpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"), StandardCharsets.UTF_8)) {
                if (line.startsWith("model name") && line.contains(":")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException e) {
            // not Linux
        }
        return System.getenv().getOrDefault("PROCESSOR_IDENTIFIER", "unknown");
    }
}
