package io.scanwatch.job.detect;

import io.scanwatch.event.ConnectionEvent;
import io.scanwatch.event.Outcome;
import io.scanwatch.event.Transport;

/** Which attempts a rule counts: its {@code count} key. */
public enum CountMode {
    /**
     * Every attempt not shown to have used the service, and every ICMP request, answered or not: an echo answered
     * uses no service, it tells the asker that the host is alive (a ping sweep of live hosts, nmap's host discovery).
     * Not other IP protocols (a VPN's ESP and GRE tunnels, IGMP reports to multicast groups; SCTP, whose ports no
     * reader takes): they have no answer NetFlow pairs, and an attempt of theirs says nothing of probing.
     */
    PROBES,
    /** Every attempt, for parity with the original rules. */
    ALL;

    /** Whether the attempt counts. */
    public boolean counts(ConnectionEvent event) {
        return this == ALL
                || event.transport == Transport.ICMP
                || event.outcome != Outcome.COMPLETED && event.transport != Transport.OTHER;
    }
}
