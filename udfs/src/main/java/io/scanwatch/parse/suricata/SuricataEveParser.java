package io.scanwatch.parse.suricata;

import io.scanwatch.event.ConnectionEvent;
import io.scanwatch.event.IcmpMessages;
import io.scanwatch.event.Outcome;
import io.scanwatch.event.Transport;
import io.scanwatch.parse.FieldValues;
import io.scanwatch.parse.LineParser;
import io.scanwatch.parse.ParsedLine;
import io.scanwatch.parse.TimeText;
import io.scanwatch.parse.json.FlatJson;
import java.util.Map;

/**
 * Suricata's eve.json {@code flow} events, one per bidirectional flow, timed by the flow's start. The outcome comes
 * from the TCP flags each side sent ({@code tcp.tcp_flags_ts} to the server, {@code tcp.tcp_flags_tc} to the
 * client) and whether the client got any packet back. Other event types (alert, dns, tls, ...) are skipped.
 */
public final class SuricataEveParser implements LineParser {
    static final String FORMAT = "suricata-eve";
    private static final int FIN = 0x01;
    private static final int SYN = 0x02;
    private static final int RST = 0x04;
    private static final int PSH = 0x08;

    @Override
    public ParsedLine parseRecord(String line) {
        try {
            Map<String, String> eve = FlatJson.parse(line);
            String type = eve.get("event_type");
            if (type == null) {
                return ParsedLine.rejected("no event_type");
            }
            if (!type.equals("flow")) {
                return ParsedLine.skipped("event_type " + type + " not watched");
            }
            ConnectionEvent flow = flow(eve);
            return flow == null ? ParsedLine.skipped(IcmpMessages.NOT_A_REQUEST) : ParsedLine.connection(flow);
        } catch (IllegalArgumentException e) {
            return ParsedLine.rejected(e.getMessage());
        }
    }

    private static boolean icmpRequest(String type) {
        try {
            return type != null && IcmpMessages.isRequest(Integer.parseInt(type.trim()));
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** @return null for an ICMP message that is not a request */
    private static ConnectionEvent flow(Map<String, String> eve) {
        ConnectionEvent c = new ConnectionEvent();
        c.format = FORMAT;
        String start = eve.get("flow.start");
        c.timestamp = start != null
                ? TimeText.withOffset("flow.start", start)
                : TimeText.withOffset("timestamp", eve.get("timestamp"));
        c.sourceIp = FieldValues.ip("src_ip", eve.get("src_ip"));
        c.destinationIp = FieldValues.ip("dest_ip", eve.get("dest_ip"));
        String proto = eve.get("proto");
        if (proto == null) {
            throw new IllegalArgumentException("missing proto");
        }
        c.transport = Transport.fromName(proto);
        if (c.transport == Transport.ICMP && !icmpRequest(eve.get("icmp_type"))) {
            return null;
        }
        if (c.transport != Transport.ICMP) {
            c.sourcePort = FieldValues.port("src_port", eve.get("src_port"));
            c.destinationPort = FieldValues.port("dest_port", eve.get("dest_port"));
        }
        c.sourcePackets = FieldValues.count("flow.pkts_toserver", eve.get("flow.pkts_toserver"));
        c.destinationPackets = FieldValues.count("flow.pkts_toclient", eve.get("flow.pkts_toclient"));
        c.sourceBytes = FieldValues.count("flow.bytes_toserver", eve.get("flow.bytes_toserver"));
        c.destinationBytes = FieldValues.count("flow.bytes_toclient", eve.get("flow.bytes_toclient"));
        String toServer = eve.get("tcp.tcp_flags_ts");
        String toClient = eve.get("tcp.tcp_flags_tc");
        c.sensorState = eve.get("flow.state") + (toServer == null ? "" : " ts=" + toServer + " tc=" + toClient);
        c.outcome = outcome(
                c, eve.get("flow.state"), flags("tcp.tcp_flags_ts", toServer), flags("tcp.tcp_flags_tc", toClient));
        return c;
    }

    /**
     * Suricata counts an ICMP error (port or host unreachable) in the flow of the packet it answers, among the
     * packets to the client, but only a packet of the flow's own protocol moves it to {@code established}: a UDP or
     * ICMP flow still {@code new} with packets back was refused, and a TCP flow whose packets back carry no flag got
     * ICMP errors only.
     */
    private static Outcome outcome(ConnectionEvent c, String state, int toServer, int toClient) {
        boolean answered = c.destinationPackets > 0;
        switch (c.transport) {
            case TCP:
                if (toServer < 0) {
                    return Outcome.UNKNOWN;
                }
                if ((toServer & SYN) == 0) {
                    // No handshake to judge by: a flow picked up midstream (a long connection past Suricata's flow
                    // timeout goes on as a new flow), or a stealth scan's FIN, which a closed port resets.
                    if (toClient > 0 && (toServer & toClient & PSH) != 0) {
                        return Outcome.COMPLETED;
                    }
                    return answered && toClient > 0 && (toClient & RST) != 0 ? Outcome.REJECTED : Outcome.UNKNOWN;
                }
                if (!answered) {
                    return Outcome.UNANSWERED;
                }
                if (toClient < 0) {
                    return Outcome.UNKNOWN;
                }
                if (toClient == 0) {
                    return (toServer & SYN) != 0 ? Outcome.REJECTED : Outcome.UNKNOWN;
                }
                if ((toClient & SYN) == 0) {
                    return (toClient & RST) != 0 ? Outcome.REJECTED : Outcome.UNKNOWN;
                }
                if (((toServer | toClient) & PSH) != 0) {
                    return Outcome.COMPLETED;
                }
                return ((toServer | toClient) & (RST | FIN)) != 0 ? Outcome.ABORTED : Outcome.UNKNOWN;
            case UDP, ICMP:
                if (!answered) {
                    return Outcome.UNANSWERED;
                }
                return "new".equals(state) ? Outcome.REJECTED : Outcome.COMPLETED;
            default:
                return Outcome.UNKNOWN;
        }
    }

    /** Suricata writes TCP flags as hex text ({@code "1b"}); -1 when the record has none. */
    private static int flags(String field, String hex) {
        if (hex == null) {
            return -1;
        }
        try {
            int flags = Integer.parseInt(hex, 16);
            if (flags >= 0 && flags <= 0xFF) {
                return flags;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(field + " is not TCP flags: '" + hex + "'");
    }
}
