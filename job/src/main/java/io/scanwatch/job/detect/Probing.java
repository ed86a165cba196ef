package io.scanwatch.job.detect;

import io.scanwatch.event.ConnectionEvent;
import io.scanwatch.event.Transport;

/**
 * What counts as a probe for the rules that watch many hours or many sources (the slow tiers, the distributed
 * scans), where the fast rules' noise would pile up.
 */
final class Probing {
    private Probing() {}

    /**
     * Whether an attempt shows probing over hours: it found no service (unanswered, refused, aborted after the
     * handshake). Not unknown outcomes (midstream records of long connections, Zeek's OTH: over a day a busy client
     * piles up hundreds of hosts of them), nor unanswered datagrams (a resolver's timed-out lookups, a P2P client's
     * peers; an unanswered datagram may also have reached a service that does not reply). Refused datagrams (ICMP
     * port unreachable) count. Not other IP protocols either, as for the network scan: a firewall dropping a VPN
     * peer's ESP or a router's IGMP to multicast groups shows no probing.
     */
    static boolean shownBy(ConnectionEvent event) {
        if (event.outcome == null || event.transport == Transport.OTHER) {
            return false;
        }
        return switch (event.outcome) {
            case REJECTED, ABORTED -> true;
            case UNANSWERED -> event.transport != Transport.UDP;
            default -> false;
        };
    }
}
