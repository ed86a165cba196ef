package io.scanwatch.sketch;

import io.scanwatch.net.IpAddress;

/**
 * Keys as an analyst reads them: addresses, and services that start with one ({@code 10.0.0.2:22},
 * {@code [2001:db8::a]:22}), first, by the address's value, then the rest; runs of digits by their value, so ports go 22,
 * 80, 443 (as text, 10.0.0.10 came before 10.0.0.2, port 1000 before 22, and IPv6 ::10 before ::a). Everything else
 * character by character; keys equal in reading (leading zeros) fall back to their text, so that the order is total.
 */
final class ReadingOrder {
    private ReadingOrder() {}

    /**
     * A key's place in this order, its address parsed once: a sort of many keys by their places parses each key
     * once, where a comparator of keys would parse two at every comparison.
     */
    static Place place(String key) {
        return new Place(key, Led.of(key));
    }

    /** A key with what leads it (null when no address does), ready to be compared. */
    record Place(String key, Led led) implements Comparable<Place> {
        @Override
        public int compareTo(Place other) {
            Led x = led;
            Led y = other.led;
            // Keys led by an address come before all others: compared one way with each other and another with the
            // rest, they would not be ordered (::1 < 10.0.0.1 by address, 10.0.0.1 < 10.0.0.1x and 10.0.0.1x < ::1 as
            // text), and a sort may throw on that.
            if ((x == null) != (y == null)) {
                return x != null ? -1 : 1;
            }
            if (x != null) {
                int byAddress = Long.compareUnsigned(x.address.high(), y.address.high());
                if (byAddress == 0) {
                    byAddress = Long.compareUnsigned(x.address.low(), y.address.low());
                }
                if (byAddress != 0) {
                    return byAddress;
                }
                int byRest = naturally(x.rest, y.rest);
                return byRest != 0 ? byRest : key.compareTo(other.key);
            }
            return naturally(key, other.key);
        }
    }

    /** A key led by an address: the address, and what follows it (a port, a transport). */
    private record Led(IpAddress address, String rest) {
        static Led of(String key) {
            if (key.startsWith("[")) {
                int close = key.indexOf(']');
                IpAddress address = close < 0 ? null : IpAddress.tryParse(key.substring(1, close));
                return address == null ? null : new Led(address, key.substring(close + 1));
            }
            IpAddress whole = IpAddress.tryParse(key);
            if (whole != null) {
                return new Led(whole, "");
            }
            // 10.0.0.2:22, 10.0.0.2/udp, 2001:db8::a/udp
            int slash = key.indexOf('/');
            int colon = key.indexOf(':');
            int end = slash >= 0 ? slash : colon >= 0 && colon == key.lastIndexOf(':') ? colon : -1;
            IpAddress address = end < 0 ? null : IpAddress.tryParse(key.substring(0, end));
            return address == null ? null : new Led(address, key.substring(end));
        }
    }

    private static int naturally(String a, String b) {
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
