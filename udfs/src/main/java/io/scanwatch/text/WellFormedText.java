package io.scanwatch.text;

/**
 * Java strings may hold half of a surrogate pair (raw bytes decoded leniently, an error message quoting half an
 * emoji, a cut in the middle of one); a strict UTF-8 encoder refuses them. Everything written out goes through
 * here, so output can never fail on what the input contained.
 */
public final class WellFormedText {
    public static final char REPLACEMENT = '\uFFFD';

    private WellFormedText() {}

    /** The text with every lone surrogate replaced by U+FFFD; the same instance when there is none. */
    public static String of(String text) {
        if (text == null) {
            return null;
        }
        int bad = firstLoneSurrogate(text, 0);
        if (bad < 0) {
            return text;
        }
        StringBuilder fixed = new StringBuilder(text.length());
        int from = 0;
        while (bad >= 0) {
            fixed.append(text, from, bad).append(REPLACEMENT);
            from = bad + 1;
            bad = firstLoneSurrogate(text, from);
        }
        return fixed.append(text, from, text.length()).toString();
    }

    /** At most {@code maxChars} chars of well-formed text, never ending inside a surrogate pair. */
    public static String prefix(String text, int maxChars) {
        String cut = text;
        if (text != null && text.length() > maxChars) {
            int end = maxChars;
            if (end > 0
                    && Character.isHighSurrogate(text.charAt(end - 1))
                    && Character.isLowSurrogate(text.charAt(end))) {
                end--;
            }
            cut = text.substring(0, end);
        }
        return of(cut);
    }

    private static int firstLoneSurrogate(String text, int from) {
        for (int i = from; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                    i++;
                } else {
                    return i;
                }
            } else if (Character.isLowSurrogate(c)) {
                return i;
            }
        }
        return -1;
    }
}
