package dev.mlops.registry;

import dev.mlops.error.InvalidInputException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A condition on a metric, parsed from text such as {@code accuracy>=0.9}. */
public record MetricFilter(String metric, String operator, double value) {
    private static final Pattern SYNTAX = Pattern.compile("\\s*([A-Za-z0-9_.:/-]+)\\s*(>=|<=|!=|==|=|>|<)\\s*(\\S+)\\s*");

    public static MetricFilter parse(String text) {
        Matcher m = SYNTAX.matcher(text == null ? "" : text);
        if (!m.matches()) {
            throw new InvalidInputException("metric filter: '" + text + "' is not METRIC<op>NUMBER; use e.g. accuracy>=0.9 (ops: > >= < <= = !=)");
        }
        double value;
        try {
            value = Double.parseDouble(m.group(3));
        } catch (NumberFormatException e) {
            throw new InvalidInputException("metric filter: '" + m.group(3) + "' in '" + text + "' is not a number; use e.g. accuracy>=0.9");
        }
        String op = m.group(2).equals("==") ? "=" : m.group(2);
        return new MetricFilter(m.group(1), op, value);
    }

    public boolean test(ModelVersion version) {
        Double actual = version.metrics().get(metric);
        if (actual == null) {
            return false;
        }
        return switch (operator) {
            case ">" -> actual > value;
            case ">=" -> actual >= value;
            case "<" -> actual < value;
            case "<=" -> actual <= value;
            case "=" -> actual == value;
            case "!=" -> actual != value;
            default -> throw new IllegalStateException(operator);
        };
    }

    @Override
    public String toString() {
        return metric + operator + value;
    }
}
