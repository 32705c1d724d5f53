package dev.mlops.cli;

import dev.mlops.json.Json;
import dev.mlops.registry.Caller;
import dev.mlops.registry.ModelRegistry;
import dev.mlops.registry.ModelVersion;
import dev.mlops.registry.RegisterRequest;
import dev.mlops.registry.VersionView;
import dev.mlops.storage.TransferListener;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Benchmarks, not tests: numbers for the README, measured on the machine at hand. */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Benchmarks (results for the README).",
        subcommands = {BenchCommand.Registry.class, BenchCommand.RegistryWorker.class})
final class BenchCommand {

    @Command(name = "registry", mixinStandardHelpOptions = true,
            description = "N registrations of one model from P concurrent OS processes: ops/s, p50/p99 latency, lost and duplicate versions.")
    static final class Registry implements Callable<Integer> {
        private final Context context;
        @Mixin
        RegistryOptions registry = new RegistryOptions();
        @Option(names = "--processes", defaultValue = "8")
        int processes;
        @Option(names = "--total", defaultValue = "200")
        int total;
        @Option(names = "--json")
        boolean json;

        Registry(Context context) {
            this.context = context;
        }

        @Override
        public Integer call() throws Exception {
            String model = "bench-" + UUID.randomUUID().toString().substring(0, 8);
            Path file = Files.createTempFile("mlops-bench", ".bin");
            Files.write(file, new byte[64 * 1024]);
            String jar = Path.of(Main.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
            String java = ProcessHandle.current().info().command().orElse("java");
            List<Process> workers = new ArrayList<>();
            long start = System.nanoTime();
            for (int p = 0; p < processes; p++) {
                int count = total / processes + (p < total % processes ? 1 : 0);
                List<String> command = new ArrayList<>(List.of(java, "-cp", jar, Main.class.getName(), "bench", "registry-worker",
                        "--model", model, "--count", String.valueOf(count), "--file", file.toString()));
                if (registry.registry != null) {
                    command.addAll(List.of("--registry", registry.registry));
                }
                ProcessBuilder builder = new ProcessBuilder(command).directory(context.workingDir().toFile())
                        .redirectError(ProcessBuilder.Redirect.INHERIT);
                builder.environment().putAll(context.env());
                workers.add(builder.start());
            }
            List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
            List<Integer> reported = Collections.synchronizedList(new ArrayList<>());
            List<Thread> readers = new ArrayList<>();
            for (Process worker : workers) {
                Thread reader = new Thread(() -> {
                    try (BufferedReader out = new BufferedReader(new InputStreamReader(worker.getInputStream(), StandardCharsets.UTF_8))) {
                        out.lines().filter(l -> l.startsWith("VERSION ")).forEach(l -> {
                            String[] parts = l.split(" ");
                            reported.add(Integer.parseInt(parts[1]));
                            latencies.add(Long.parseLong(parts[2]));
                        });
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                });
                reader.start();
                readers.add(reader);
            }
            int failedWorkers = 0;
            for (Process worker : workers) {
                worker.waitFor(30, TimeUnit.MINUTES);
                failedWorkers += worker.exitValue() == 0 ? 0 : 1;
            }
            for (Thread reader : readers) {
                reader.join();
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            Files.deleteIfExists(file);

            Set<Integer> distinctReported = new HashSet<>(reported);
            int duplicates = reported.size() - distinctReported.size();
            List<Integer> stored;
            try (ModelRegistry opened = registry.open(context)) {
                stored = opened.versions(model).stream().map(VersionView::version).map(ModelVersion::version).toList();
            }
            int lost = 0;
            for (int v = 1; v <= total; v++) {
                if (!stored.contains(v) || !distinctReported.contains(v)) {
                    lost++;
                }
            }
            List<Long> sorted = new ArrayList<>(latencies);
            sorted.sort(null);
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("schema", "mlops.bench.registry/v1");
            result.put("registry", ModelRegistryLocation.of(registry, context));
            result.put("processes", processes);
            result.put("registrations", total);
            result.put("seconds", round(seconds));
            result.put("opsPerSecond", round(total / seconds));
            result.put("p50Millis", round(percentile(sorted, 0.50) / 1e6));
            result.put("p99Millis", round(percentile(sorted, 0.99) / 1e6));
            result.put("lost", lost);
            result.put("duplicates", duplicates);
            result.put("failedWorkers", failedWorkers);
            if (json) {
                context.out().println(Json.toString(result));
            } else {
                result.forEach((k, v) -> context.out().printf("%-14s %s%n", k, v));
            }
            return lost == 0 && duplicates == 0 && failedWorkers == 0 ? 0 : 1;
        }

        private static double percentile(List<Long> sorted, double q) {
            if (sorted.isEmpty()) {
                return Double.NaN;
            }
            int index = (int) Math.ceil(q * sorted.size()) - 1;
            return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
        }

        private static double round(double value) {
            return Math.round(value * 100) / 100.0;
        }
    }

    @Command(name = "registry-worker", hidden = true, description = "One benchmark process (internal).")
    static final class RegistryWorker implements Callable<Integer> {
        private final Context context;
        @Mixin
        RegistryOptions registry = new RegistryOptions();
        @Option(names = "--model", required = true)
        String model;
        @Option(names = "--count", required = true)
        int count;
        @Option(names = "--file", required = true)
        Path file;

        RegistryWorker(Context context) {
            this.context = context;
        }

        @Override
        public Integer call() {
            try (ModelRegistry opened = registry.open(context)) {
                Caller caller = new Caller("bench-" + ProcessHandle.current().pid(), null);
                for (int i = 0; i < count; i++) {
                    long start = System.nanoTime();
                    ModelVersion v = opened.register(new RegisterRequest(model, List.of(file), "bin", null, Map.of("i", (double) i),
                            null, null, null, "bench"), caller, TransferListener.NONE);
                    context.out().println("VERSION " + v.version() + " " + (System.nanoTime() - start));
                }
            }
            return 0;
        }
    }

    /** The location string without opening twice in callers' code paths. */
    private static final class ModelRegistryLocation {
        static String of(RegistryOptions options, Context context) {
            try (ModelRegistry opened = options.open(context)) {
                return opened.location();
            }
        }
    }
}
