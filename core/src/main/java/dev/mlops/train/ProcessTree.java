package dev.mlops.train;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A process and its descendants: sampled resource use and tree-wide termination. On Linux it
 * reads {@code /proc/<pid>/stat} (utime, stime) and {@code /proc/<pid>/status} (VmRSS, VmHWM);
 * elsewhere it falls back to {@link ProcessHandle.Info#totalCpuDuration()} and reports no memory.
 */
final class ProcessTree {
    /** USER_HZ: the kernel reports /proc times in 1/100 s on every Linux architecture. */
    private static final long TICKS_PER_SECOND = 100;
    private static final Path PROC = Path.of("/proc");

    private final ProcessHandle root;
    private final byte[] cookie;
    private final boolean procfs;
    /** Last CPU ticks seen per process; keyed by pid and start time so a reused pid is a new entry. */
    private final Map<String, Long> cpuTicks = new HashMap<>();
    /** Every descendant seen by a sample: once the root exits, its orphans are no longer descendants. */
    private final Map<Long, ProcessHandle> seen = new LinkedHashMap<>();
    private long peakRssSum = -1;
    private long peakHwm = -1;

    /**
     * {@code cookie} is a {@code NAME=value} pair in the environment of the root; every process
     * started from it inherits it, so processes that left the tree (a double fork, or a parent
     * that died between listing and signalling) are still found, as Jenkins' ProcessTreeKiller does.
     */
    ProcessTree(ProcessHandle root, String cookie) {
        this.root = root;
        this.cookie = (cookie + "\0").getBytes(StandardCharsets.UTF_8);
        this.procfs = Files.isRegularFile(PROC.resolve("self/stat"));
    }

    /** Takes one sample of every live process in the tree. */
    void sample() {
        List<ProcessHandle> tree = new ArrayList<>();
        tree.add(root);
        root.descendants().forEach(tree::add);
        tree.subList(1, tree.size()).forEach(p -> seen.putIfAbsent(p.pid(), p));
        long rssSum = 0;
        boolean any = false;
        for (ProcessHandle process : tree) {
            if (!procfs) {
                process.info().totalCpuDuration().ifPresent(cpu ->
                        cpuTicks.merge(process.pid() + ":" + process.info().startInstant().orElse(null),
                                cpu.toMillis() * TICKS_PER_SECOND / 1000, Math::max));
                continue;
            }
            String[] stat = stat(process.pid());
            if (stat == null || isGone(stat[0])) {
                continue;
            }
            long ticks = Long.parseLong(stat[11]) + Long.parseLong(stat[12]);
            cpuTicks.merge(process.pid() + ":" + stat[19], ticks, Math::max);
            Map<String, Long> status = status(process.pid());
            rssSum += status.getOrDefault("VmRSS", 0L);
            peakHwm = Math.max(peakHwm, status.getOrDefault("VmHWM", -1L));
            any = true;
        }
        if (any) {
            peakRssSum = Math.max(peakRssSum, rssSum);
        }
    }

    long cpuMillis() {
        if (cpuTicks.isEmpty()) {
            return -1;
        }
        return cpuTicks.values().stream().mapToLong(Long::longValue).sum() * 1000 / TICKS_PER_SECOND;
    }

    /** The larger of the peak summed RSS of the tree and the largest single-process high-water mark. */
    long peakRssBytes() {
        long peak = Math.max(peakRssSum, peakHwm);
        return peak < 0 ? -1 : peak;
    }

    /**
     * Terminates the tree: SIGTERM to the descendants (deepest first), then to the root; after
     * {@code grace}, SIGKILL to whatever still runs. The descendants are listed before anything is
     * signalled, since a child whose parent died is re-parented and no longer a descendant; for the
     * same reason descendants seen by earlier samples and processes carrying the cookie are included.
     */
    void kill(Duration grace) {
        boolean interrupted = Thread.interrupted(); // we are often here because of an interrupt; waiting must still work
        try {
            Map<Long, ProcessHandle> victims = new LinkedHashMap<>();
            Set<Long> terminated = new HashSet<>();
            collect(victims);
            terminate(victims, terminated);
            long deadline = System.nanoTime() + grace.toNanos();
            while (System.nanoTime() < deadline) {
                collect(victims);
                terminate(victims, terminated); // a process found only now gets its SIGTERM too
                if (victims.values().stream().noneMatch(ProcessTree::isRunning)) {
                    return;
                }
                interrupted |= sleep(20);
            }
            collect(victims);
            victims.values().stream().filter(ProcessTree::isRunning).forEach(ProcessHandle::destroyForcibly);
            long killDeadline = System.nanoTime() + Duration.ofSeconds(2).toNanos();
            while (System.nanoTime() < killDeadline && victims.values().stream().anyMatch(ProcessTree::isRunning)) {
                interrupted |= sleep(10);
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void terminate(Map<Long, ProcessHandle> victims, Set<Long> terminated) {
        victims.forEach((pid, process) -> {
            if (terminated.add(pid)) {
                process.destroy();
            }
        });
    }

    /** Adds the current descendants (deepest first), earlier samples' descendants, cookie holders, then the root. */
    private void collect(Map<Long, ProcessHandle> victims) {
        Map<Long, Long> parents = new HashMap<>();
        List<ProcessHandle> descendants = root.descendants().toList();
        descendants.forEach(p -> p.parent().ifPresent(parent -> parents.put(p.pid(), parent.pid())));
        Map<Long, ProcessHandle> ordered = new LinkedHashMap<>();
        descendants.stream().sorted(Comparator.comparingInt((ProcessHandle p) -> depth(p.pid(), parents)).reversed())
                .forEach(p -> ordered.put(p.pid(), p));
        seen.forEach((pid, process) -> {
            if (isRunning(process)) {
                ordered.putIfAbsent(pid, process);
            }
        });
        victims.forEach((pid, process) -> {
            if (pid != root.pid()) {
                ordered.putIfAbsent(pid, process);
            }
        });
        cookieHolders().forEach(process -> ordered.putIfAbsent(process.pid(), process));
        ordered.put(root.pid(), root);
        victims.clear();
        victims.putAll(ordered);
    }

    /** Running processes (other than the root) whose environment carries the cookie; Linux only. */
    private List<ProcessHandle> cookieHolders() {
        List<ProcessHandle> holders = new ArrayList<>();
        if (!procfs) {
            return holders;
        }
        long self = ProcessHandle.current().pid();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(PROC, "[0-9]*")) {
            for (Path entry : entries) {
                long pid = Long.parseLong(entry.getFileName().toString());
                if (pid == self || pid == root.pid()) {
                    continue;
                }
                try {
                    if (contains(Files.readAllBytes(entry.resolve("environ")), cookie)) {
                        ProcessHandle.of(pid).filter(ProcessTree::isRunning).ifPresent(holders::add);
                    }
                } catch (IOException | RuntimeException e) {
                    // another user's process, or it just ended
                }
            }
        } catch (IOException e) {
            // /proc not listable: rely on the descendants
        }
        return holders;
    }

    private static boolean contains(byte[] environ, byte[] entry) {
        outer:
        for (int i = 0; i <= environ.length - entry.length; i++) {
            if (i > 0 && environ[i - 1] != 0) {
                continue; // entries start after a NUL
            }
            for (int j = 0; j < entry.length; j++) {
                if (environ[i + j] != entry[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    private static int depth(long pid, Map<Long, Long> parents) {
        int depth = 0;
        Long current = pid;
        while ((current = parents.get(current)) != null && depth < 1000) {
            depth++;
        }
        return depth;
    }

    /** True while the process runs; the handle's start time guards against a reused pid. */
    static boolean isRunning(ProcessHandle process) {
        return process.isAlive() && isRunning(process.pid());
    }

    /** True while {@code pid} exists and is not a zombie (a killed child its parent has not reaped yet). */
    static boolean isRunning(long pid) {
        if (!Files.isRegularFile(PROC.resolve("self/stat"))) {
            return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
        }
        String[] stat = stat(pid);
        return stat != null && !isGone(stat[0]);
    }

    private static boolean isGone(String state) {
        return state.equals("Z") || state.equals("X") || state.equals("x");
    }

    /** Fields of /proc/pid/stat after the command name: [0] is the state, [11] utime, [12] stime, [19] start time. */
    private static String[] stat(long pid) {
        try {
            String text = Files.readString(PROC.resolve(pid + "/stat"), StandardCharsets.US_ASCII);
            int close = text.lastIndexOf(')');
            String[] fields = text.substring(close + 2).trim().split(" ");
            return fields.length > 19 ? fields : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** VmRSS and VmHWM of /proc/pid/status in bytes. */
    private static Map<String, Long> status(long pid) {
        Map<String, Long> values = new HashMap<>();
        try {
            for (String line : Files.readAllLines(PROC.resolve(pid + "/status"), StandardCharsets.US_ASCII)) {
                if (line.startsWith("VmRSS:") || line.startsWith("VmHWM:")) {
                    String[] parts = line.substring(6).trim().split("\\s+");
                    values.put(line.substring(0, 5), Long.parseLong(parts[0]) * 1024);
                }
            }
        } catch (IOException | RuntimeException e) {
            // the process ended between listing and reading
        }
        return values;
    }

    /** Sleeps; true when interrupted. */
    private static boolean sleep(long millis) {
        try {
            Thread.sleep(millis);
            return false;
        } catch (InterruptedException e) {
            return true;
        }
    }
}
