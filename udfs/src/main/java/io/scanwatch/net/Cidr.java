package io.scanwatch.net;

/** An address block such as {@code 10.0.0.0/8} or {@code fc00::/7}; a bare address is a /32 or /128. */
public final class Cidr {
    private final long hi;
    private final long lo;
    private final long maskHi;
    private final long maskLo;
    private final String text;
    private final int bits128;
    private final boolean v4;

    private Cidr(IpAddress network, int bits128, String text) {
        this.bits128 = bits128;
        this.v4 = network.isV4();
        this.maskHi = bits128 == 0 ? 0 : bits128 >= 64 ? -1L : -1L << (64 - bits128);
        this.maskLo = bits128 <= 64 ? 0 : bits128 == 128 ? -1L : -1L << (128 - bits128);
        this.hi = network.hi & maskHi;
        this.lo = network.lo & maskLo;
        this.text = text;
    }

    /** Parses CIDR notation; throws {@link IllegalArgumentException} saying what is wrong. */
    public static Cidr parse(String text) {
        String t = text.trim();
        if (t.contains(",") || t.contains(";") || t.chars().anyMatch(Character::isWhitespace)) {
            // A YAML string where a list was meant ("10.0.0.0/8, 192.168.0.0/16") reads as one block.
            throw new IllegalArgumentException("'" + text + "' is several address blocks in one: write them as a list"
                    + " (YAML: [10.0.0.0/8, 192.168.0.0/16], or one '- 10.0.0.0/8' per line)");
        }
        int slash = t.indexOf('/');
        if (hasLeadingZero(t, slash)) {
            // inet_aton and others read 010 as octal, 8: the same text would name another network there.
            throw new IllegalArgumentException(leadingZero(text));
        }
        IpAddress network = t.contains("%") ? null : IpAddress.tryParse(slash < 0 ? t : t.substring(0, slash));
        if (network == null) {
            throw new IllegalArgumentException(
                    "'" + text + "' is not an address block (expected e.g. 10.0.0.0/8 or fc00::/7)");
        }
        // An IPv4 address written as IPv6 (::ffff:192.0.2.1) is kept as IPv4, its prefix counted as IPv6's.
        boolean mapped =
                network.isV4() && t.substring(0, slash < 0 ? t.length() : slash).contains(":");
        int max = network.isV4() && !mapped ? 32 : 128;
        int prefix = max;
        if (slash >= 0) {
            String length = t.substring(slash + 1);
            if (length.isEmpty() || length.length() > 3 || !length.chars().allMatch(c -> c >= '0' && c <= '9')) {
                throw new IllegalArgumentException("'" + text + "' is not an address block: a prefix length of 0.."
                        + max + " follows one '/' (expected e.g. 10.0.0.0/8 or fc00::/7)");
            }
            if (length.length() > 1 && length.charAt(0) == '0') {
                throw new IllegalArgumentException(leadingZero(text));
            }
            prefix = Integer.parseInt(length);
            if (prefix > max) {
                throw new IllegalArgumentException("'" + text + "' has a prefix length outside 0.." + max);
            }
        }
        if (mapped && prefix < 96) {
            throw new IllegalArgumentException("'" + text + "' is an IPv4 address written as IPv6: its prefix length"
                    + " runs from 96 to 128 (/128 for the one address), or write it as IPv4 (" + network + "/32)");
        }
        Cidr block = new Cidr(network, network.isV4() && !mapped ? prefix + 96 : prefix, t);
        if (block.hi != network.hi || block.lo != network.lo) {
            // Masked silently, a typo in an allow-list (10.20.0.0/8 for 10.20.0.0/16) would hide a whole network.
            throw new IllegalArgumentException("'" + text + "' has bits set past its prefix: a /" + prefix
                    + " starts at " + block.first() + " (write " + block.canonical() + " if that is meant), or give "
                    + network + " the prefix length meant for it");
        }
        return block;
    }

    private static String leadingZero(String text) {
        return "'" + text + "' has a number with a leading zero, which some tools read as octal: write it without"
                + " (e.g. 10.0.0.0/8)";
    }

    /** Whether a dotted-decimal part is written with a leading zero: 010.0.0.0. */
    private static boolean hasLeadingZero(String block, int slash) {
        String address = slash < 0 ? block : block.substring(0, slash);
        String dotted = address.substring(address.lastIndexOf(':') + 1);
        if (dotted.contains(".")) {
            for (String part : dotted.split("\\.", -1)) {
                if (part.length() > 1 && part.charAt(0) == '0') {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * Why a range list should not hold {@code text}, though it parses: a bare address that is the unspecified one, or
     * the first address of a network (a /24's or a /64's), where a network without its prefix was surely meant and,
     * read as the one address, would change what the list holds without a word. Null for anything else, blocks that
     * do not parse included ({@link #parse} says what is wrong with those).
     */
    public static String bareNetworkProblem(String text) {
        String bare = text.trim();
        IpAddress address = bare.indexOf('/') < 0 ? IpAddress.tryParse(bare) : null;
        if (address == null) {
            return null;
        }
        boolean unspecified = address.isV4() ? (address.lo & 0xFFFFFFFFL) == 0 : address.lo == 0 && address.hi == 0;
        if (unspecified) {
            return "'" + bare + "' is the unspecified address, no host's: write "
                    + (address.isV4() ? "0.0.0.0/0" : "::/0") + " for every address, or leave it out";
        }
        boolean networkLike = address.isV4() ? (address.lo & 0xFF) == 0 : address.lo == 0;
        if (networkLike) {
            return "'" + bare + "' is one address, the first of a network rather than a host: write the network with"
                    + " its prefix (" + address + (address.isV4() ? "/24" : "/64") + ", say), or " + address
                    + (address.isV4() ? "/32" : "/128") + " for that one address";
        }
        return null;
    }

    /**
     * Whether the block holds the address. Blocks hold addresses of their own family only: IPv4 addresses are kept
     * as IPv4-mapped IPv6, and {@code ::/0} would otherwise hold every IPv4 address as well.
     */
    public boolean contains(IpAddress ip) {
        return ip.isV4() == v4 && (ip.hi & maskHi) == hi && (ip.lo & maskLo) == lo;
    }

    /** The block's first address, its network address. */
    public IpAddress first() {
        return IpAddress.of(hi, lo);
    }

    /** The block as written by the book: its network address, canonical, and prefix ({@code 10.0.0.5/32}). */
    public String canonical() {
        return first() + "/" + (v4 ? bits128 - 96 : bits128);
    }

    /** Whether every address of {@code other} is in this block. */
    public boolean covers(Cidr other) {
        return bits128 <= other.bits128 && contains(other.first());
    }

    /** How specific the block is, IPv4 blocks counted as IPv4-mapped (a /24 is 120): more is narrower. */
    public int specificity() {
        return bits128;
    }

    @Override
    public String toString() {
        return text;
    }
}
