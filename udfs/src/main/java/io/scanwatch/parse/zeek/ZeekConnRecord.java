package io.scanwatch.parse.zeek;

import io.scanwatch.event.ConnectionEvent;
import io.scanwatch.event.IcmpMessages;
import io.scanwatch.event.Transport;
import io.scanwatch.parse.FieldValues;
import io.scanwatch.parse.ParsedLine;

/** The values of one conn.log record as text, whichever encoding they came in, checked and turned into an event. */
final class ZeekConnRecord {
    static final String FORMAT = "zeek-conn";

    /** Column values by {@link ZeekField} ordinal, as {@link ZeekLogReader} fills them; null means unset. */
    final String[] values = new String[ZeekField.values().length];

    ParsedLine toParsedLine() {
        String path = values[ZeekField.PATH.ordinal()];
        ParsedLine otherLog = ZeekLogReader.otherLog(path, "conn");
        if (otherLog != null) {
            return otherLog;
        }
        if (path == null && values[ZeekField.CONN_STATE.ordinal()] == null) {
            // Zeek writes a state for every connection it logs; dns.log, notice.log and the like share the id columns.
            return ParsedLine.skipped("no conn_state: a line of another Zeek log, not conn.log");
        }
        ConnectionEvent event = new ConnectionEvent();
        event.format = FORMAT;
        try {
            event.timestamp = ZeekTime.eventTime(values[ZeekField.TS.ordinal()]);
            String proto = values[ZeekField.PROTO.ordinal()];
            if (proto == null) {
                return ParsedLine.rejected("missing proto");
            }
            event.transport = Transport.fromName(proto);
            event.sourceIp = address(ZeekField.ORIG_H);
            event.destinationIp = address(ZeekField.RESP_H);
            int origPort = port(ZeekField.ORIG_P);
            int respPort = port(ZeekField.RESP_P);
            // Zeek always writes the port a TCP or UDP connection went to; without it there is no service.
            boolean ported = event.transport == Transport.TCP || event.transport == Transport.UDP;
            if (ported && respPort < 0) {
                return ParsedLine.rejected("missing id.resp_p");
            }
            if (event.transport == Transport.ICMP && !IcmpMessages.isRequest(origPort)) {
                return ParsedLine.skipped(IcmpMessages.NOT_A_REQUEST);
            }
            // Zeek writes ICMP type and code into the port columns; they are not services.
            event.sourcePort = event.transport == Transport.ICMP ? -1 : origPort;
            event.destinationPort = event.transport == Transport.ICMP ? -1 : respPort;
            event.sourceBytes = count(ZeekField.ORIG_BYTES);
            event.destinationBytes = count(ZeekField.RESP_BYTES);
            event.sourcePackets = count(ZeekField.ORIG_PKTS);
            event.destinationPackets = count(ZeekField.RESP_PKTS);
            String state = values[ZeekField.CONN_STATE.ordinal()];
            String history = values[ZeekField.HISTORY.ordinal()];
            event.sensorState = history == null ? state : state + "/" + history;
            event.outcome = ZeekConnOutcome.classify(
                    event.transport,
                    state,
                    history,
                    event.sourceBytes,
                    event.destinationBytes,
                    event.destinationPackets,
                    origPort);
        } catch (IllegalArgumentException e) {
            return ParsedLine.rejected(e.getMessage());
        }
        return ParsedLine.connection(event);
    }

    private String address(ZeekField field) {
        return FieldValues.ip(field.columnName(), values[field.ordinal()]);
    }

    private int port(ZeekField field) {
        return FieldValues.port(field.columnName(), values[field.ordinal()]);
    }

    private long count(ZeekField field) {
        return FieldValues.count(field.columnName(), values[field.ordinal()]);
    }
}
