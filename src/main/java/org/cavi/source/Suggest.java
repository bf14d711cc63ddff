package org.cavi.source;

import java.util.Collection;
import java.util.Locale;
import java.util.Optional;

/** "Did you mean": the known word nearest a misspelt one, by edit distance (a swap counts one). */
public final class Suggest {
    private Suggest() {}

    /** Words longer than this get no suggestion. */
    static final int MAX_WORD = 64;

    /** The nearest candidate within about a third of the word's length (at least 1 edit), ignoring case. */
    public static Optional<String> closest(String word, Collection<String> candidates) {
        // no name is that long: a suggestion would be noise, and the distance table would be word × candidate long
        if (word.length() > MAX_WORD) return Optional.empty();
        String w = word.toLowerCase(Locale.ROOT);
        int limit = Math.max(1, w.length() / 3);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String c : candidates.stream().sorted().toList()) {
            if (c.equals(word)) continue;
            int d = distance(w, c.toLowerCase(Locale.ROOT));
            if (d <= limit && d < w.length() && d < bestDistance) {
                best = c;
                bestDistance = d;
            }
        }
        return Optional.ofNullable(best);
    }

    /** "; did you mean 'x'?" or "". */
    public static String didYouMean(String word, Collection<String> candidates) {
        return closest(word, candidates).map(c -> "; did you mean '" + c + "'?").orElse("");
    }

    /** Optimal string alignment distance: insertions, deletions, substitutions and adjacent swaps. */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) d[i][0] = i;
        for (int j = 0; j <= b.length(); j++) d[0][j] = j;
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
