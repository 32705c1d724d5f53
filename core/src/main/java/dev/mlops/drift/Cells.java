package dev.mlops.drift;

import java.nio.charset.StandardCharsets;

/**
 * What a CSV cell is, straight from its bytes: missing (empty, NA, N/A, NaN, null, None — pandas' usual
 * markers), a number, or text. Plain decimals with at most 15 significant digits and a power of ten
 * within ±22 are exact in one rounding (Clinger's fast path); others go to {@link Double#parseDouble},
 * so every value equals the JDK's.
 */
final class Cells {
    /** Returned by {@link #number} for a cell that is not a number. */
    static final double NOT_A_NUMBER = Double.NaN;
    private static final double[] POW10 = new double[23];

    static {
        double p = 1;
        for (int i = 0; i < POW10.length; i++) {
            POW10[i] = p;
            p *= 10;
        }
    }

    private Cells() {
    }

    static boolean isMissing(byte[] b, int s, int e) {
        while (s < e && b[s] == ' ') {
            s++;
        }
        while (e > s && b[e - 1] == ' ') {
            e--;
        }
        int n = e - s;
        if (n == 0) {
            return true;
        }
        if (n > 4) {
            return false;
        }
        return switch (n) {
            case 2 -> eq(b, s, "NA");
            case 3 -> eq(b, s, "N/A") || eq(b, s, "NaN") || eq(b, s, "nan");
            case 4 -> eq(b, s, "null") || eq(b, s, "NULL") || eq(b, s, "None");
            default -> false;
        };
    }

    private static boolean eq(byte[] b, int s, String literal) {
        for (int i = 0; i < literal.length(); i++) {
            if (b[s + i] != literal.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** The cell as a finite number, or NaN when it is not one (check {@link #isMissing} first). */
    static double number(byte[] b, int start, int end) {
        int s = start;
        int e = end;
        while (s < e && b[s] == ' ') {
            s++;
        }
        while (e > s && b[e - 1] == ' ') {
            e--;
        }
        if (s == e) {
            return NOT_A_NUMBER;
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
            return NOT_A_NUMBER;
        }
        if (i < e) {
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
        for (int i = s; i < e; i++) {
            int c = b[i];
            boolean allowed = (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '+' || c == 'e' || c == 'E';
            if (!allowed) {
                return NOT_A_NUMBER;
            }
        }
        try {
            double v = Double.parseDouble(new String(b, s, e - s, StandardCharsets.US_ASCII));
            return Double.isFinite(v) ? v : NOT_A_NUMBER;
        } catch (NumberFormatException notANumber) {
            return NOT_A_NUMBER;
        }
    }

    /** Formats a logged number as a category: integral values without ".0", so 1.0 matches "1" in training data. */
    static String category(double value) {
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return Long.toString((long) value);
        }
        return Double.toString(value);
    }
}
