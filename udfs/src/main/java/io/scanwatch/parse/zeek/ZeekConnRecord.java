package io.scanwatch.parse.zeek;

import io.scanwatch.event.ConnectionEvent;
import io.scanwatch.event.Transport;
import io.scanwatch.net.IpAddress;
import io.scanwatch.parse.EventTimeBounds;
import io.scanwatch.parse.ParsedLine;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/** The values of one conn.log record as text, whichever encoding they came in, checked and turned into an event. */
final class ZeekConnRecord {
    static final String FORMAT = "zeek-conn";

    private final String[] values = new String[ZeekField.values().length];

    void clear() {
        java.util.Arrays.fill(values, null);
    }

    /** Records a value; null means unset. */
    void set(ZeekField field, String value) {
        values[field.ordinal()] = value;
    }

    ParsedLine toParsedLine() {
        String ts = values[ZeekField.TS.ordinal()];
        if (ts == null) {
            return ParsedLine.rejected("missing ts");
        }
        long timestamp;
        try {
            timestamp = parseTime(ts);
        } catch (NumberFormatException | DateTimeParseException e) {
            return ParsedLine.rejected("ts is not a time: '" + ts + "'");
        }
        if (!EventTimeBounds.plausible(timestamp)) {
            return ParsedLine.rejected("ts out of the plausible range: '" + ts + "'");
        }
        String proto = values[ZeekField.PROTO.ordinal()];
        if (proto == null) {
            return ParsedLine.rejected("missing proto");
        }
        ConnectionEvent event = new ConnectionEvent();
        event.format = FORMAT;
        event.timestamp = timestamp;
        event.transport = Transport.fromName(proto);
        try {
            event.sourceIp = address(ZeekField.ORIG_H);
            event.destinationIp = address(ZeekField.RESP_H);
            int origPort = port(ZeekField.ORIG_P);
            int respPort = port(ZeekField.RESP_P);
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
            event.outcome = ZeekConnOutcome.classify(event.transport, state, history, event.sourceBytes,
                    event.destinationBytes, event.destinationPackets, origPort);
        } catch (IllegalArgumentException e) {
            return ParsedLine.rejected(e.getMessage());
        }
        return ParsedLine.event(event);
    }

    private static long parseTime(String ts) {
        char first = ts.charAt(0);
        if (ts.indexOf('T') > 0 && first >= '0' && first <= '9' && ts.indexOf('-') > 0) {
            return Instant.parse(ts).toEpochMilli();
        }
        double seconds = Double.parseDouble(ts);
        if (Double.isNaN(seconds) || Double.isInfinite(seconds)) {
            throw new NumberFormatException(ts);
        }
        return Math.round(seconds * 1000.0);
    }

    private String address(ZeekField field) {
        String value = values[field.ordinal()];
        if (value == null) {
            throw new IllegalArgumentException("missing " + field.columnName());
        }
        IpAddress ip = IpAddress.tryParse(value);
        if (ip == null) {
            throw new IllegalArgumentException(field.columnName() + " is not an IP address: '" + value + "'");
        }
        String canonical = ip.toString();
        return canonical.equals(value) ? value : canonical;
    }

    private int port(ZeekField field) {
        return (int) number(field, 65535, "a port");
    }

    private long count(ZeekField field) {
        return number(field, Long.MAX_VALUE, "a count");
    }

    /** @return the field's value in 0..max, or -1 when unset; throws naming the field when it is anything else */
    private long number(ZeekField field, long max, String what) {
        String value = values[field.ordinal()];
        if (value == null) {
            return -1;
        }
        try {
            long number = Long.parseLong(value);
            if (number >= 0 && number <= max) {
                return number;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(field.columnName() + " is not " + what + ": '" + value + "'");
    }
}
