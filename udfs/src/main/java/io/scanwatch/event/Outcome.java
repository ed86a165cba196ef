package io.scanwatch.event;

/**
 * What a connection attempt tells about the target, normalised across sensors. The first three are what a scanner
 * produces and a client using a service rarely does; only {@link #COMPLETED} shows the service was used.
 */
public enum Outcome {
    /** SYN (or datagram) with no reply: filtered port or no host. */
    UNANSWERED,
    /** Answered by a reset or an ICMP unreachable: closed port. */
    REJECTED,
    /** Handshake completed, then torn down with little or no payload: connect scans, SYN scans, banner grabs. */
    ABORTED,
    /** Payload exchanged: the service was used. */
    COMPLETED,
    /** The sensor cannot tell (host telemetry, midstream traffic, ICMP). */
    UNKNOWN
}
