package io.scanwatch.net;

/**
 * An IPv4 or IPv6 address as 128 bits (IPv4 held as IPv4-mapped IPv6, so {@code ::ffff:192.0.2.1} is
 * {@code 192.0.2.1}), parsed without any name lookup:
 * {@link java.net.InetAddress#getByName} resolves anything that is not a literal, which a parser of untrusted
 * telemetry must never do.
 */
public final class IpAddress {
    private static final long V4_MAPPED_HI = 0L;
    private static final long V4_MAPPED_LO_PREFIX = 0xFFFFL << 32;

    final long hi;
    final long lo;
    private final boolean v4;

    private IpAddress(long hi, long lo, boolean v4) {
        this.hi = hi;
        this.lo = lo;
        this.v4 = v4;
    }

    public boolean isV4() {
        return v4;
    }

    /** The upper 64 bits of the 128-bit (IPv4-mapped for IPv4) address. */
    public long high() {
        return hi;
    }

    public long low() {
        return lo;
    }

    /** The address of {@link #high()} and {@link #low()}: a compact form for state, back as an address. */
    public static IpAddress of(long high, long low) {
        return new IpAddress(high, low, high == V4_MAPPED_HI && (low >>> 32) == 0xFFFFL);
    }

    /** Parses a literal; throws {@link IllegalArgumentException} naming the text when it is not one. */
    public static IpAddress parse(String text) {
        IpAddress ip = tryParse(text);
        if (ip == null) {
            throw new IllegalArgumentException("not an IP address: '" + text + "'");
        }
        return ip;
    }

    /** Parses a literal, or returns null. An IPv6 zone ({@code %eth0}) is dropped. */
    public static IpAddress tryParse(String text) {
        if (text == null || text.isEmpty() || text.length() > 64) {
            return null;
        }
        if (text.indexOf(':') < 0) {
            long v4 = parseV4(text, 0, text.length());
            return v4 < 0 ? null : new IpAddress(V4_MAPPED_HI, V4_MAPPED_LO_PREFIX | v4, true);
        }
        int zone = text.indexOf('%');
        return parseV6(zone < 0 ? text : text.substring(0, zone));
    }

    /** The canonical text: dotted quad, or RFC 5952 IPv6 (lower case, longest zero run compressed). */
    public static String canonical(String text) {
        String canonical = tryCanonical(text);
        if (canonical == null) {
            throw new IllegalArgumentException("not an IP address: '" + text + "'");
        }
        return canonical;
    }

    /**
     * The canonical text of a literal, or null when the text is not one. A dotted quad already canonical, what
     * parsers meet on almost every record, is returned as it is without being parsed into an address and written
     * back.
     */
    public static String tryCanonical(String text) {
        if (text != null && isCanonicalV4(text)) {
            return text;
        }
        IpAddress ip = tryParse(text);
        if (ip == null) {
            return null;
        }
        String canonical = ip.toString();
        return canonical.equals(text) ? text : canonical;
    }

    /** Four decimal octets of at most 255 without leading zeros, separated by dots. */
    private static boolean isCanonicalV4(String s) {
        int length = s.length();
        if (length < 7 || length > 15) {
            return false;
        }
        int parts = 0;
        int i = 0;
        while (true) {
            int start = i;
            int octet = 0;
            while (i < length && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
                octet = octet * 10 + (s.charAt(i) - '0');
                i++;
            }
            int digits = i - start;
            if (digits == 0 || digits > 3 || octet > 255 || (digits > 1 && s.charAt(start) == '0')) {
                return false;
            }
            parts++;
            if (i == length) {
                return parts == 4;
            }
            if (s.charAt(i) != '.' || parts == 4) {
                return false;
            }
            i++;
        }
    }

    /** @return the address as an unsigned 32-bit value, or -1 when the text is not a dotted quad. */
    private static long parseV4(String s, int from, int to) {
        long value = 0;
        int parts = 0;
        int i = from;
        while (i <= to) {
            int start = i;
            int octet = 0;
            while (i < to && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
                octet = octet * 10 + (s.charAt(i) - '0');
                if (i - start >= 3 || octet > 255) {
                    return -1;
                }
                i++;
            }
            if (i == start) {
                return -1;
            }
            value = (value << 8) | octet;
            parts++;
            if (i == to) {
                break;
            }
            if (s.charAt(i) != '.' || parts == 4) {
                return -1;
            }
            i++;
        }
        return parts == 4 ? value : -1;
    }

    private static IpAddress parseV6(String s) {
        int[] groups = new int[8];
        int count = 0;
        int gap = -1;
        int i = 0;
        int n = s.length();
        if (s.startsWith("::")) {
            gap = 0;
            i = 2;
            if (n == 2) {
                return new IpAddress(0, 0, false);
            }
        } else if (s.charAt(0) == ':') {
            return null;
        }
        while (i < n) {
            if (count == 8) {
                return null;
            }
            int start = i;
            int value = 0;
            while (i < n && Character.digit(s.charAt(i), 16) >= 0) {
                value = (value << 4) | Character.digit(s.charAt(i), 16);
                i++;
                if (i - start > 4) {
                    return null;
                }
            }
            if (i < n && s.charAt(i) == '.') {
                // Embedded IPv4 tail, as in ::ffff:192.0.2.1
                long v4 = parseV4(s, start, n);
                if (v4 < 0 || count > 6) {
                    return null;
                }
                groups[count++] = (int) (v4 >>> 16);
                groups[count++] = (int) (v4 & 0xFFFF);
                i = n;
                break;
            }
            if (i == start) {
                return null;
            }
            groups[count++] = value;
            if (i == n) {
                break;
            }
            if (s.charAt(i) != ':') {
                return null;
            }
            i++;
            if (i < n && s.charAt(i) == ':') {
                if (gap >= 0) {
                    return null;
                }
                gap = count;
                i++;
            } else if (i == n) {
                return null;
            }
        }
        int[] full = new int[8];
        if (gap < 0) {
            if (count != 8) {
                return null;
            }
            full = groups;
        } else {
            if (count == 8) {
                return null;
            }
            System.arraycopy(groups, 0, full, 0, gap);
            System.arraycopy(groups, gap, full, 8 - (count - gap), count - gap);
        }
        long hi = 0;
        long lo = 0;
        for (int g = 0; g < 4; g++) {
            hi = (hi << 16) | full[g];
            lo = (lo << 16) | full[g + 4];
        }
        // ::ffff:192.0.2.1 is how dual-stack sockets write an IPv4 peer: it is that IPv4 host, under one name.
        boolean v4Mapped = hi == V4_MAPPED_HI && (lo >>> 32) == 0xFFFFL;
        return new IpAddress(hi, lo, v4Mapped);
    }

    /**
     * The block of this address with the given prefix length, as CIDR text ({@code 198.51.100.0/24},
     * {@code 2001:db8:1::/48}): which network a source belongs to.
     */
    public String network(int v4Bits, int v6Bits) {
        int bits = v4 ? 96 + v4Bits : v6Bits;
        long maskHi = bits == 0 ? 0 : bits >= 64 ? -1L : -1L << (64 - bits);
        long maskLo = bits <= 64 ? 0 : bits == 128 ? -1L : -1L << (128 - bits);
        return new IpAddress(hi & maskHi, lo & maskLo, v4) + "/" + (v4 ? v4Bits : v6Bits);
    }

    @Override
    public String toString() {
        if (v4) {
            return ((lo >>> 24) & 0xFF) + "." + ((lo >>> 16) & 0xFF) + "." + ((lo >>> 8) & 0xFF) + "." + (lo & 0xFF);
        }
        int[] g = new int[8];
        for (int i = 0; i < 4; i++) {
            g[i] = (int) ((hi >>> (48 - 16 * i)) & 0xFFFF);
            g[i + 4] = (int) ((lo >>> (48 - 16 * i)) & 0xFFFF);
        }
        int bestStart = -1;
        int bestLen = 1;
        for (int i = 0; i < 8; ) {
            if (g[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && g[j] == 0) {
                j++;
            }
            if (j - i > bestLen) {
                bestStart = i;
                bestLen = j - i;
            }
            i = j;
        }
        StringBuilder out = new StringBuilder(39);
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                out.append("::");
                i += bestLen - 1;
                continue;
            }
            if (out.length() > 0 && out.charAt(out.length() - 1) != ':') {
                out.append(':');
            }
            out.append(Integer.toHexString(g[i]));
        }
        return out.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IpAddress
                && ((IpAddress) o).hi == hi
                && ((IpAddress) o).lo == lo
                && ((IpAddress) o).v4 == v4;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(hi) * 31 + Long.hashCode(lo);
    }
}
