package io.scanwatch.sketch;

import java.util.Comparator;

/**
 * Keys as an analyst reads them: runs of digits by their value, so ports go 22, 80, 443 and addresses 10.0.0.2,
 * 10.0.0.10 (as text, 10.0.0.10 came first and port 1000 before 22). Everything else character by character; keys
 * equal in reading (leading zeros) fall back to their text, so that the order is total.
 */
public final class ReadingOrder implements Comparator<String> {
    public static final ReadingOrder INSTANCE = new ReadingOrder();

    private ReadingOrder() {}

    @Override
    public int compare(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            char x = a.charAt(i);
            char y = b.charAt(j);
            if (isDigit(x) && isDigit(y)) {
                int endA = digitsEnd(a, i);
                int endB = digitsEnd(b, j);
                int byValue = compareNumbers(a, skipZeros(a, i, endA), endA, b, skipZeros(b, j, endB), endB);
                if (byValue != 0) {
                    return byValue;
                }
                i = endA;
                j = endB;
            } else {
                if (x != y) {
                    return Character.compare(x, y);
                }
                i++;
                j++;
            }
        }
        int byLength = Integer.compare(a.length() - i, b.length() - j);
        return byLength != 0 ? byLength : a.compareTo(b);
    }

    /** Two runs of digits without leading zeros: the longer is larger, else the first digit that differs decides. */
    private static int compareNumbers(String a, int fromA, int toA, String b, int fromB, int toB) {
        int byLength = Integer.compare(toA - fromA, toB - fromB);
        if (byLength != 0) {
            return byLength;
        }
        for (int k = 0; k < toA - fromA; k++) {
            int byDigit = Character.compare(a.charAt(fromA + k), b.charAt(fromB + k));
            if (byDigit != 0) {
                return byDigit;
            }
        }
        return 0;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static int digitsEnd(String s, int from) {
        int end = from;
        while (end < s.length() && isDigit(s.charAt(end))) {
            end++;
        }
        return end;
    }

    private static int skipZeros(String s, int from, int to) {
        int start = from;
        while (start < to - 1 && s.charAt(start) == '0') {
            start++;
        }
        return start;
    }
}
