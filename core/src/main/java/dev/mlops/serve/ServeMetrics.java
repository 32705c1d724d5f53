package dev.mlops.serve;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * Prometheus metrics of the server, rendered in the text exposition format (version 0.0.4).
 * Updates are lock-free ({@link LongAdder}); a histogram's {@code _count} and {@code +Inf} bucket
 * are computed from one read of the buckets, so they always agree and buckets are monotone.
 */
public final class ServeMetrics {
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
    /** Upper bounds of the latency buckets, in seconds. */
    static final double[] BUCKETS = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
    /** Label value for requests to a model or version that is not served (keeps label cardinality bounded). */
    static final String UNKNOWN = "_unknown";

    private record Key(String model, String version) implements Comparable<Key> {
        @Override
        public int compareTo(Key o) {
            int c = model.compareTo(o.model);
            return c != 0 ? c : version.compareTo(o.version);
        }
    }

    /** Counters and latency histogram of one model version. */
    static final class VersionStats {
        private final Map<Integer, LongAdder> byCode = new ConcurrentHashMap<>();
        private final LongAdder[] buckets = new LongAdder[BUCKETS.length + 1];
        private final DoubleAdder sum = new DoubleAdder();

        VersionStats() {
            for (int i = 0; i < buckets.length; i++) {
                buckets[i] = new LongAdder();
            }
        }

        void observe(int code, long nanos) {
            byCode.computeIfAbsent(code, c -> new LongAdder()).increment();
            double seconds = nanos / 1e9;
            int i = 0;
            while (i < BUCKETS.length && seconds > BUCKETS[i]) {
                i++;
            }
            buckets[i].increment();
            sum.add(seconds);
        }
    }

    private final Map<Key, VersionStats> stats = new ConcurrentHashMap<>();
    private final AtomicLong inFlight = new AtomicLong();
    private final LongAdder shadowDropped = new LongAdder();
    private final List<Gauge> extra = new ArrayList<>();

    private record Gauge(String name, String type, String help, LongSupplier value) {
    }

    /** The stats of a served version; callers keep the reference to skip the map lookup per request. */
    VersionStats version(String model, String version) {
        return stats.computeIfAbsent(new Key(model, version), k -> new VersionStats());
    }

    void observe(String model, String version, int code, long nanos) {
        version(model, version).observe(code, nanos);
    }

    void enter() {
        inFlight.incrementAndGet();
    }

    void exit() {
        inFlight.decrementAndGet();
    }

    long inFlight() {
        return inFlight.get();
    }

    void shadowDropped() {
        shadowDropped.increment();
    }

    /** Adds a metric read at render time (log writer counters). Call before the server starts. */
    void register(String name, String type, String help, LongSupplier value) {
        extra.add(new Gauge(name, type, help, value));
    }

    /** The metrics in Prometheus text format. */
    public String render() {
        StringBuilder out = new StringBuilder(4096);
        List<Map.Entry<Key, VersionStats>> entries = new ArrayList<>(stats.entrySet());
        entries.sort(Map.Entry.comparingByKey());

        header(out, "mlops_serve_requests_total", "counter", "Inference requests by model, version and HTTP status code.");
        for (Map.Entry<Key, VersionStats> e : entries) {
            e.getValue().byCode.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(c ->
                    sample(out, "mlops_serve_requests_total", e.getKey(), "code", String.valueOf(c.getKey()), c.getValue().sum()));
        }
        header(out, "mlops_serve_request_errors_total", "counter", "Inference requests answered with a 4xx or 5xx status, by model, version and code.");
        for (Map.Entry<Key, VersionStats> e : entries) {
            e.getValue().byCode.entrySet().stream().filter(c -> c.getKey() >= 400).sorted(Map.Entry.comparingByKey()).forEach(c ->
                    sample(out, "mlops_serve_request_errors_total", e.getKey(), "code", String.valueOf(c.getKey()), c.getValue().sum()));
        }
        header(out, "mlops_serve_request_duration_seconds", "histogram", "Inference latency in seconds (request read to response written), by model and version.");
        for (Map.Entry<Key, VersionStats> e : entries) {
            VersionStats s = e.getValue();
            long cumulative = 0;
            for (int i = 0; i < s.buckets.length; i++) {
                cumulative += s.buckets[i].sum();
                String le = i < BUCKETS.length ? formatDouble(BUCKETS[i]) : "+Inf";
                sample(out, "mlops_serve_request_duration_seconds_bucket", e.getKey(), "le", le, cumulative);
            }
            out.append("mlops_serve_request_duration_seconds_sum");
            labels(out, e.getKey(), null, null);
            out.append(' ').append(formatDouble(s.sum.sum())).append('\n');
            sample(out, "mlops_serve_request_duration_seconds_count", e.getKey(), null, null, cumulative);
        }
        header(out, "mlops_serve_in_flight_requests", "gauge", "Inference requests being processed now.");
        out.append("mlops_serve_in_flight_requests ").append(inFlight.get()).append('\n');
        header(out, "mlops_serve_shadow_dropped_total", "counter", "Shadow scorings skipped because the shadow queue was full.");
        out.append("mlops_serve_shadow_dropped_total ").append(shadowDropped.sum()).append('\n');
        for (Gauge gauge : extra) {
            header(out, gauge.name(), gauge.type(), gauge.help());
            out.append(gauge.name()).append(' ').append(gauge.value().getAsLong()).append('\n');
        }
        return out.toString();
    }

    private static void header(StringBuilder out, String name, String type, String help) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }

    private static void sample(StringBuilder out, String name, Key key, String label, String value, long count) {
        out.append(name);
        labels(out, key, label, value);
        out.append(' ').append(count).append('\n');
    }

    private static void labels(StringBuilder out, Key key, String label, String value) {
        out.append("{model=\"");
        escape(out, key.model());
        out.append("\",version=\"");
        escape(out, key.version());
        out.append('"');
        if (label != null) {
            out.append(',').append(label).append("=\"");
            escape(out, value);
            out.append('"');
        }
        out.append('}');
    }

    /** Label values escape backslash, double quote and line feed. */
    static void escape(StringBuilder out, String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '"' -> out.append("\\\"");
                case '\n' -> out.append("\\n");
                default -> out.append(c);
            }
        }
    }

    static String formatDouble(double value) {
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return Long.toString((long) value) + ".0";
        }
        return Double.toString(value);
    }
}
