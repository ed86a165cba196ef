package io.scanwatch.event;

public enum Transport {
    TCP,
    UDP,
    ICMP,
    OTHER;

    /** Maps the protocol names sensors write (tcp, udp, icmp, icmp6, ipv6-icmp, numbers 6/17/1/58). */
    public static Transport fromName(String name) {
        switch (name.toLowerCase(java.util.Locale.ROOT)) {
            case "tcp":
            case "6":
                return TCP;
            case "udp":
            case "17":
                return UDP;
            case "icmp":
            case "icmp6":
            case "icmpv6":
            case "ipv6-icmp":
            case "1":
            case "58":
                return ICMP;
            default:
                return OTHER;
        }
    }
}
