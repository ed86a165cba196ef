package io.scanwatch.event;

/**
 * Which attempts look like probes rather than a used service: what the network scan counts by default ({@code count:
 * probes}), and {@code is_probe} in Flink SQL.
 */
public final class ProbeLike {
    private ProbeLike() {}

    /**
     * Every attempt not shown to have used the service (unanswered, rejected, aborted, unknown), and every ICMP
     * request, answered or not: an echo answered uses no service, it tells the asker that the host is alive (the
     * readers keep only requests). Not other IP protocols (a VPN's ESP and GRE tunnels, IGMP reports to multicast
     * groups; SCTP, whose ports no reader takes): they have no answer NetFlow pairs, and an attempt of theirs says
     * nothing of probing.
     */
    public static boolean attempt(Outcome outcome, Transport transport) {
        if (transport == Transport.ICMP) {
            return true;
        }
        return transport != Transport.OTHER && outcome != Outcome.COMPLETED;
    }
}
