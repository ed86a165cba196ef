package io.scanwatch.event;

/** Which ICMP messages a host sends to ask something: only those can probe. */
public final class IcmpMessages {
    private IcmpMessages() {}

    /**
     * Echo, timestamp, information and address-mask requests (ICMPv4 8, 13, 15, 17) and ICMPv6 echo (128). Errors
     * (unreachable, time exceeded) and replies are sent by routers and targets, never by a scanner's probe.
     */
    public static boolean isRequest(int type) {
        return type == 8 || type == 13 || type == 15 || type == 17 || type == 128;
    }

    public static final String NOT_A_REQUEST =
            "ICMP message that is not a request (an error or a reply): not an attempt";
}
