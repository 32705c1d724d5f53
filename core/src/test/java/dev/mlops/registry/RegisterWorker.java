package dev.mlops.registry;

import dev.mlops.storage.ArtifactStores;
import dev.mlops.storage.TransferListener;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/**
 * A separate process that registers versions, for the multi-process tests and the benchmark.
 * Usage: RegisterWorker REGISTRY_URI MODEL COUNT FILE [hang-at-percent]
 * Prints "VERSION n latencyNanos" per registration; with hang-at-percent it prints "HANG" once the
 * upload passes that share and then blocks, so the parent can kill it mid-upload.
 */
public final class RegisterWorker {
    public static void main(String[] args) throws Exception {
        String uri = args[0];
        String model = args[1];
        int count = Integer.parseInt(args[2]);
        Path file = Path.of(args[3]);
        int hangAt = args.length > 4 ? Integer.parseInt(args[4]) : -1;
        Map<String, String> env = System.getenv();
        TransferListener listener = hangAt < 0 ? TransferListener.NONE : (key, done, total) -> {
            if (done * 100 >= (long) hangAt * total && done < total) {
                System.out.println("HANG");
                System.out.flush();
                try {
                    Thread.sleep(Long.MAX_VALUE);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        try (ModelRegistry registry = new ModelRegistry(ArtifactStores.open(uri, Path.of("."), env), Clock.systemUTC())) {
            Caller caller = new Caller("worker-" + ProcessHandle.current().pid(), null);
            for (int i = 0; i < count; i++) {
                long start = System.nanoTime();
                ModelVersion v = registry.register(new RegisterRequest(model, List.of(file), "bin", null,
                        Map.of("i", (double) i), null, null, null, "worker"), caller, listener);
                System.out.println("VERSION " + v.version() + " " + (System.nanoTime() - start));
                System.out.flush();
            }
        }
        if (!Files.exists(file)) {
            System.exit(2);
        }
    }
}
