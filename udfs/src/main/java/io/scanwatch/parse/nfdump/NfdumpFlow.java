package io.scanwatch.parse.nfdump;

import io.scanwatch.event.ConnectionEvent;
import io.scanwatch.event.IcmpMessages;
import io.scanwatch.event.Outcome;
import io.scanwatch.event.TcpFlags;
import io.scanwatch.event.Transport;
import io.scanwatch.parse.FieldValues;
import io.scanwatch.parse.LocalClock;
import io.scanwatch.parse.ParsedLine;
import io.scanwatch.parse.TimeText;

/**
 * One NetFlow/IPFIX record as nfdump prints it, whichever output format, and what it says about a connection.
 * NetFlow v5/v9 records are unidirectional: the answer to a SYN or a datagram is a record of its own, from the
 * server. Such TCP and UDP records are marked one-way, answers included, with the outcome their own flags show
 * (unknown for a bare SYN, a datagram or an answer) until {@link io.scanwatch.flow.OneWayFlows} pairs them. Bidirectional records (IPFIX biflows,
 * {@code opkt > 0}) show both sides.
 */
final class NfdumpFlow {
    static final String FORMAT_CSV = "nfdump-csv";
    static final String FORMAT_JSON = "nfdump-json";

    String format;
    String first;
    String sourceIp;
    String destinationIp;
    String sourcePort;
    String destinationPort;
    String protocol;
    /** nfdump's flag string, {@code CEUAPRSF} with dots for unset flags, e.g. {@code ...A.R..}. */
    String flags;

    /** The ICMP message type, where the output names it; null otherwise. */
    Integer icmpType;

    String inPackets;
    String inBytes;
    String outPackets;
    String outBytes;

    ParsedLine toParsedLine(LocalClock clock) {
        ConnectionEvent c = new ConnectionEvent();
        c.format = format;
        c.timestamp = TimeText.local("first seen", first, clock);
        c.sourceIp = FieldValues.ip("source address", sourceIp);
        c.destinationIp = FieldValues.ip("destination address", destinationIp);
        if (protocol == null) {
            throw new IllegalArgumentException("missing protocol");
        }
        c.transport = Transport.fromName(protocol.trim());
        if (c.transport == Transport.TCP || c.transport == Transport.UDP) {
            c.sourcePort = FieldValues.port("source port", sourcePort);
            c.destinationPort = FieldValues.port("destination port", destinationPort);
            if (c.sourcePort < 0 || c.destinationPort < 0) {
                // nfdump prints both for every TCP and UDP flow: an empty one is a broken row, not a port-less probe.
                throw new IllegalArgumentException("a " + c.transport + " flow without its "
                        + (c.sourcePort < 0 ? "source" : "destination") + " port");
            }
        }
        c.sourcePackets = FieldValues.count("packets", inPackets);
        c.sourceBytes = FieldValues.count("bytes", inBytes);
        c.destinationPackets = FieldValues.count("reverse packets", outPackets);
        c.destinationBytes = FieldValues.count("reverse bytes", outBytes);
        c.sensorState = flags;
        if (c.transport == Transport.ICMP && icmpType != null && !IcmpMessages.isRequest(icmpType)) {
            return ParsedLine.skipped(IcmpMessages.NOT_A_REQUEST);
        }
        if (c.transport != Transport.TCP) {
            c.outcome = c.destinationPackets > 0 ? Outcome.COMPLETED : Outcome.UNKNOWN;
            // A one-way datagram may be a request or an answer: pairing with the reverse record tells.
            c.oneWay = c.transport == Transport.UDP && c.destinationPackets <= 0;
            return ParsedLine.connection(c);
        }
        if (flags == null || flags.trim().length() != 8) {
            throw new IllegalArgumentException("TCP flags are not nfdump's CEUAPRSF string: '" + flags + "'");
        }
        c.tcpFlags = tcpFlags();
        boolean syn = flag('S');
        boolean ack = flag('A');
        boolean biflow = c.destinationPackets > 0;
        c.oneWay = !biflow;
        if (flag('P')) {
            c.outcome = Outcome.COMPLETED;
        } else if (biflow) {
            c.outcome = !syn || !ack
                    ? Outcome.UNKNOWN
                    : flag('R') && c.sourcePackets <= 1 ? Outcome.REJECTED : Outcome.ABORTED;
        } else if (syn && ack && (flag('R') || flag('F'))) {
            c.outcome = Outcome.ABORTED;
        } else {
            // A bare SYN, an answer, or the middle of a connection: pairing with the reverse record tells.
            c.outcome = Outcome.UNKNOWN;
        }
        if (!syn && (biflow || c.outcome != Outcome.UNKNOWN)) {
            return ParsedLine.skipped("no SYN: the middle of a connection");
        }
        return ParsedLine.connection(c);
    }

    /** nfdump's flag letters as {@link TcpFlags} bits. */
    private int tcpFlags() {
        int bits = 0;
        String letters = "FSRPAU";
        int[] values = {TcpFlags.FIN, TcpFlags.SYN, TcpFlags.RST, TcpFlags.PSH, TcpFlags.ACK, 0x20};
        for (int i = 0; i < letters.length(); i++) {
            if (flag(letters.charAt(i))) {
                bits |= values[i];
            }
        }
        return bits;
    }

    private boolean flag(char name) {
        return flags.trim().indexOf(name) >= 0;
    }
}
