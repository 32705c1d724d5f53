package dev.mlops.deploy;

import dev.mlops.error.InvalidInputException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The samples of one scrape of the model server's {@code /metrics} (Prometheus text format 0.0.4),
 * with the per-version views the gates need: requests, errors and the latency histogram.
 */
public record MetricsSnapshot(List<Sample> samples) {
    public static final String REQUESTS = "mlops_serve_requests_total";
    public static final String ERRORS = "mlops_serve_request_errors_total";
    public static final String DURATION_BUCKET = "mlops_serve_request_duration_seconds_bucket";

    public record Sample(String name, Map<String, String> labels, double value) {
        public Sample {
            labels = Map.copyOf(labels);
        }
    }

    /** Requests, 5xx-or-4xx errors and cumulative latency buckets (upper bound in seconds → count) of one version. */
    public record VersionMetrics(double requests, double errors, double serverErrors, TreeMap<Double, Double> buckets) {
        public double errorRate() {
            return requests <= 0 ? 0 : serverErrors / requests;
        }

        /** What happened between {@code before} and this scrape. */
        public VersionMetrics minus(VersionMetrics before) {
            TreeMap<Double, Double> b = new TreeMap<>();
            buckets.forEach((le, c) -> b.put(le, c - before.buckets.getOrDefault(le, 0.0)));
            return new VersionMetrics(requests - before.requests, errors - before.errors, serverErrors - before.serverErrors, b);
        }

        /**
         * The q-quantile of latency in milliseconds, interpolated linearly inside its bucket as
         * Prometheus' {@code histogram_quantile} does; NaN without observations. A quantile in the
         * +Inf bucket returns the largest finite bound.
         */
        public double quantileMillis(double q) {
            if (buckets.isEmpty()) {
                return Double.NaN;
            }
            double total = buckets.lastEntry().getValue();
            if (total <= 0) {
                return Double.NaN;
            }
            double rank = q * total;
            double prevBound = 0;
            double prevCount = 0;
            for (Map.Entry<Double, Double> e : buckets.entrySet()) {
                if (e.getValue() >= rank) {
                    if (e.getKey().isInfinite()) {
                        return prevBound * 1000;
                    }
                    double inBucket = e.getValue() - prevCount;
                    double fraction = inBucket <= 0 ? 1 : (rank - prevCount) / inBucket;
                    return (prevBound + (e.getKey() - prevBound) * fraction) * 1000;
                }
                prevBound = e.getKey().isInfinite() ? prevBound : e.getKey();
                prevCount = e.getValue();
            }
            return prevBound * 1000;
        }
    }

    public MetricsSnapshot {
        samples = List.copyOf(samples);
    }

    /** Parses Prometheus text; comments and blank lines are skipped, a malformed line fails naming its number. */
    public static MetricsSnapshot parse(String text) {
        List<Sample> samples = new ArrayList<>();
        String[] lines = text.split("\n");
        for (int n = 0; n < lines.length; n++) {
            String line = lines[n].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            try {
                samples.add(parseLine(line));
            } catch (RuntimeException e) {
                throw new InvalidInputException("metrics: line " + (n + 1) + " is not a Prometheus sample ('" + abbreviate(line)
                        + "'); scrape the model server's /metrics");
            }
        }
        return new MetricsSnapshot(samples);
    }

    private static Sample parseLine(String line) {
        Map<String, String> labels = new LinkedHashMap<>();
        int brace = line.indexOf('{');
        int space;
        String name;
        if (brace >= 0 && brace < line.indexOf(' ')) {
            name = line.substring(0, brace);
            int i = brace + 1;
            while (line.charAt(i) != '}') {
                int eq = line.indexOf('=', i);
                String key = line.substring(i, eq).strip();
                int j = eq + 2; // after ="
                StringBuilder value = new StringBuilder();
                while (line.charAt(j) != '"') {
                    char c = line.charAt(j);
                    if (c == '\\') {
                        char next = line.charAt(++j);
                        value.append(next == 'n' ? '\n' : next);
                    } else {
                        value.append(c);
                    }
                    j++;
                }
                labels.put(key, value.toString());
                i = j + 1;
                if (line.charAt(i) == ',') {
                    i++;
                }
            }
            space = i + 1;
        } else {
            space = line.indexOf(' ');
            name = line.substring(0, space);
        }
        String[] rest = line.substring(space).strip().split("\\s+");
        return new Sample(name, labels, parseValue(rest[0]));
    }

    private static double parseValue(String v) {
        return switch (v) {
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            case "NaN" -> Double.NaN;
            default -> Double.parseDouble(v);
        };
    }

    public VersionMetrics version(String model, int version) {
        String v = String.valueOf(version);
        double requests = 0;
        double errors = 0;
        double serverErrors = 0;
        TreeMap<Double, Double> buckets = new TreeMap<>();
        for (Sample s : samples) {
            if (!model.equals(s.labels().get("model")) || !v.equals(s.labels().get("version"))) {
                continue;
            }
            switch (s.name()) {
                case REQUESTS -> requests += s.value();
                case ERRORS -> {
                    errors += s.value();
                    if (s.labels().getOrDefault("code", "").startsWith("5")) {
                        serverErrors += s.value();
                    }
                }
                case DURATION_BUCKET -> buckets.merge(parseValue(s.labels().get("le")), s.value(), Double::sum);
                default -> {
                }
            }
        }
        return new VersionMetrics(requests, errors, serverErrors, buckets);
    }

    private static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 77) + "...";
    }
}
