package io.scanwatch.job.config;

import java.util.Collection;

/**
 * The known key a mistyped one most likely meant, for the message that refuses it: one edit away (a letter left out,
 * added, changed, or two swapped), or two for longer keys. None when two keys are as near, or none is.
 */
final class NearestKey {
    private NearestKey() {}

    /** @return {@code "; did you mean 'KEY'?"}, or an empty string */
    static String hint(String given, Collection<String> known) {
        String best = nearest(given, known);
        return best == null ? "" : "; did you mean '" + best + "'?";
    }

    /** The known key {@code given} most likely meant, or null: none near enough, or two as near. */
    static String nearest(String given, Collection<String> known) {
        int allowed = given.length() >= 8 ? 2 : 1;
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        boolean tied = false;
        for (String candidate : known) {
            int distance = distance(given, candidate);
            if (distance < bestDistance) {
                best = candidate;
                bestDistance = distance;
                tied = false;
            } else if (distance == bestDistance) {
                tied = true;
            }
        }
        return best != null && !tied && bestDistance > 0 && bestDistance <= allowed ? best : null;
    }

    /** Edits between the two, a swap of neighbours counting one (optimal string alignment). */
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
