package dev.mlops.evaluate;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Decimal parsing straight from bytes. Plain decimals with at most 15 significant digits and a
 * power of ten within ±22 take Clinger's fast path (an exact long mantissa times or divided by an
 * exact power of ten: one correctly rounded operation); everything else goes to
 * {@link Double#parseDouble}, which also rounds correctly, so results always equal the JDK's.
 */
final class FastNumbers {
    private static final double[] POW10 = new double[23];

    static {
        double p = 1;
        for (int i = 0; i < POW10.length; i++) {
            POW10[i] = p;
            p *= 10;
        }
    }

    private FastNumbers() {
    }

    /**
     * Parses {@code b[start, end)}. Accepts NaN/nan and inf/Infinity (returned as such, so the
     * caller can name them).
     *
     * @throws NumberFormatException when the text is not a decimal number
     */
    static double parse(byte[] b, int start, int end) {
        int s = start;
        int e = end;
        while (s < e && (b[s] == ' ' || b[s] == '\t')) {
            s++;
        }
        while (e > s && (b[e - 1] == ' ' || b[e - 1] == '\t')) {
            e--;
        }
        if (s == e) {
            throw new NumberFormatException("empty");
        }
        int i = s;
        boolean negative = false;
        if (b[i] == '-' || b[i] == '+') {
            negative = b[i] == '-';
            i++;
        }
        long mantissa = 0;
        int significant = 0;
        int exponent = 0;
        boolean digits = false;
        boolean dot = false;
        for (; i < e; i++) {
            int c = b[i];
            if (c >= '0' && c <= '9') {
                digits = true;
                if (mantissa == 0 && c == '0') {
                    if (dot) {
                        exponent--;
                    }
                    continue;
                }
                if (significant >= 15) {
                    return slow(b, s, e);
                }
                mantissa = mantissa * 10 + (c - '0');
                significant++;
                if (dot) {
                    exponent--;
                }
            } else if (c == '.' && !dot) {
                dot = true;
            } else {
                break;
            }
        }
        if (!digits) {
            return slow(b, s, e);
        }
        if (i < e && (b[i] == 'e' || b[i] == 'E')) {
            i++;
            boolean expNegative = false;
            if (i < e && (b[i] == '-' || b[i] == '+')) {
                expNegative = b[i] == '-';
                i++;
            }
            if (i == e) {
                return slow(b, s, e);
            }
            int exp = 0;
            for (; i < e; i++) {
                int c = b[i];
                if (c < '0' || c > '9' || exp > 10000) {
                    return slow(b, s, e);
                }
                exp = exp * 10 + (c - '0');
            }
            exponent += expNegative ? -exp : exp;
        }
        if (i != e) {
            return slow(b, s, e);
        }
        if (mantissa == 0) {
            return negative ? -0.0 : 0.0;
        }
        double value;
        if (exponent >= 0 && exponent < POW10.length) {
            value = mantissa * POW10[exponent];
        } else if (exponent < 0 && -exponent < POW10.length) {
            value = mantissa / POW10[-exponent];
        } else {
            return slow(b, s, e);
        }
        return negative ? -value : value;
    }

    private static double slow(byte[] b, int s, int e) {
        String text = new String(b, s, e - s, StandardCharsets.UTF_8);
        String lower = text.toLowerCase(Locale.ROOT);
        String unsigned = lower.startsWith("-") || lower.startsWith("+") ? lower.substring(1) : lower;
        if (unsigned.equals("nan")) {
            return Double.NaN;
        }
        if (unsigned.equals("inf") || unsigned.equals("infinity")) {
            return lower.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean allowed = (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '+' || c == 'e' || c == 'E';
            if (!allowed) {
                throw new NumberFormatException(text);
            }
        }
        return Double.parseDouble(text);
    }
}
