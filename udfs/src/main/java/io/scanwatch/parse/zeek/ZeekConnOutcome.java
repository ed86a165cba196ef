package io.scanwatch.parse.zeek;

import io.scanwatch.event.IcmpMessages;
import io.scanwatch.event.Outcome;
import io.scanwatch.event.Transport;

/**
 * Maps Zeek's conn_state and history to an {@link Outcome}. History letters: upper case from the originator,
 * lower case from the responder; {@code h} is the responder's SYN-ACK, {@code r}/{@code R} a reset.
 */
final class ZeekConnOutcome {
    /**
     * Payload up to this many bytes (both ways) still counts as "little": a banner or a short probe string. More
     * than that and the client really used the service before resetting.
     */
    static final long LITTLE_PAYLOAD_BYTES = 1024;

    private ZeekConnOutcome() {}

    static Outcome classify(
            Transport transport,
            String state,
            String history,
            long origBytes,
            long respBytes,
            long respPackets,
            int icmpType) {
        if (state == null) {
            return Outcome.UNKNOWN;
        }
        switch (transport) {
            case TCP:
                return tcp(state, history, payload(origBytes, respBytes));
            case UDP:
                return udp(state, respBytes, respPackets);
            case ICMP:
                return icmp(icmpType, respPackets);
            default:
                return Outcome.UNKNOWN;
        }
    }

    private static Outcome tcp(String state, String history, long payload) {
        if (history != null && history.indexOf('D') >= 0 && history.indexOf('d') >= 0) {
            // Data both ways, whatever the state: byte counts can be zero under capture loss, history cannot lie.
            return Outcome.COMPLETED;
        }
        switch (state) {
            case "S0":
            case "SH":
            case "RSTOS0":
                return Outcome.UNANSWERED;
            case "REJ":
                return Outcome.REJECTED;
            case "RSTO":
            case "RSTR":
                if (history != null && history.indexOf('h') < 0 && history.indexOf('A') < 0) {
                    // A reset without any sign of an established handshake: treat as refused.
                    return Outcome.REJECTED;
                }
                return payload <= LITTLE_PAYLOAD_BYTES ? Outcome.ABORTED : Outcome.COMPLETED;
            case "S1":
            case "S2":
            case "S3":
            case "SF":
                return payload > 0 || hasData(history) ? Outcome.COMPLETED : Outcome.ABORTED;
            default:
                // OTH, SHR, RSTRH: midstream or responder-only traffic says nothing about a probe.
                return Outcome.UNKNOWN;
        }
    }

    private static Outcome udp(String state, long respBytes, long respPackets) {
        switch (state) {
            case "S0":
                return Outcome.UNANSWERED;
            case "REJ":
                return Outcome.REJECTED;
            case "SF":
            case "S1":
                return respBytes > 0 || respPackets > 0 ? Outcome.COMPLETED : Outcome.UNANSWERED;
            default:
                return Outcome.UNKNOWN;
        }
    }

    /** Only requests (echo, timestamp, information, address mask; ICMPv6 echo) probe; other messages are noise. */
    private static Outcome icmp(int type, long respPackets) {
        if (!IcmpMessages.isRequest(type) || respPackets < 0) {
            return Outcome.UNKNOWN;
        }
        return respPackets > 0 ? Outcome.COMPLETED : Outcome.UNANSWERED;
    }

    private static boolean hasData(String history) {
        return history != null && (history.indexOf('D') >= 0 || history.indexOf('d') >= 0);
    }

    private static long payload(long origBytes, long respBytes) {
        return Math.max(origBytes, 0) + Math.max(respBytes, 0);
    }
}
