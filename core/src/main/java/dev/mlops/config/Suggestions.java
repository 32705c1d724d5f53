package dev.mlops.config;

import java.util.Collection;
import java.util.Locale;
import java.util.Optional;

/** The closest known word to a misspelt one, by edit distance (a swap of two neighbours counts once). */
final class Suggestions {
    private Suggestions() {
    }

    static Optional<String> closest(String word, Collection<String> known) {
        String w = normalise(word);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : known) {
            int d = distance(w, normalise(candidate));
            if (d < bestDistance) {
                best = candidate;
                bestDistance = d;
            }
        }
        int limit = w.length() <= 3 ? 1 : w.length() <= 7 ? 2 : 3;
        return bestDistance <= limit ? Optional.of(best) : Optional.empty();
    }

    /** camelCase, kebab-case and snake_case spellings of a key compare equal. */
    private static String normalise(String s) {
        return s.replace("_", "").replace("-", "").toLowerCase(Locale.ROOT);
    }

    /** Optimal string alignment distance. */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
