package io.scanwatch.parse.netfilter;

import io.scanwatch.event.ConnectionEvent;
import io.scanwatch.event.IcmpMessages;
import io.scanwatch.event.Outcome;
import io.scanwatch.event.Transport;
import io.scanwatch.parse.FieldValues;
import io.scanwatch.parse.ParseOptions;
import io.scanwatch.parse.ParsedLine;
import io.scanwatch.parse.syslog.SyslogLine;
import io.scanwatch.parse.syslog.SyslogProgramParser;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Linux netfilter LOG lines in syslog ({@code kernel: [12.3] DROP-IN IN=eth0 OUT= SRC=... DST=... PROTO=TCP
 * SPT=... DPT=... SYN}). The log prefix is the rule's verdict: a prefix naming a drop means the sender got no
 * answer, a reject was refused, anything else was let through (outcome unknown).
 */
public final class NetfilterLogParser extends SyslogProgramParser {
    static final String FORMAT = "netfilter";

    public NetfilterLogParser(ParseOptions options) {
        super(options);
    }

    /** Whether the line is a packet netfilter logged. */
    public static boolean wrote(SyslogLine syslog) {
        return packetAt(syslog.message) >= 0;
    }

    @Override
    public ParsedLine parse(SyslogLine syslog) {
        String message = syslog.message;
        int in = packetAt(message);
        if (in < 0) {
            return ParsedLine.skipped("not a netfilter packet log line");
        }
        Map<String, String> fields = fields(message.substring(in));
        ConnectionEvent c = new ConnectionEvent();
        c.format = FORMAT;
        c.timestamp = syslog.timestamp;
        c.sourceIp = FieldValues.ip("SRC", fields.get("SRC"));
        c.destinationIp = FieldValues.ip("DST", fields.get("DST"));
        String proto = fields.get("PROTO");
        c.transport = proto == null ? Transport.OTHER : Transport.fromName(proto);
        String icmpType = fields.get("TYPE");
        if (c.transport == Transport.ICMP && icmpType != null && !isRequest(icmpType)) {
            return ParsedLine.skipped(IcmpMessages.NOT_A_REQUEST);
        }
        c.sourcePort = FieldValues.port("SPT", fields.get("SPT"));
        c.destinationPort = FieldValues.port("DPT", fields.get("DPT"));
        String prefix = prefix(message.substring(0, in));
        c.sensorState = prefix.isEmpty() ? "logged" : prefix;
        c.outcome = outcome(prefix);
        return ParsedLine.connection(c);
    }

    private static boolean isRequest(String icmpType) {
        try {
            return IcmpMessages.isRequest(Integer.parseInt(icmpType));
        } catch (NumberFormatException e) {
            return true;
        }
    }

    /** Where the packet's fields start ({@code IN=}), or -1 if the message holds none. */
    private static int packetAt(String message) {
        int in = message.indexOf("IN=");
        return in < 0 || message.indexOf(" SRC=", in) < 0 ? -1 : in;
    }

    /** The rule's prefix ({@code DROP-IN}, {@code [UFW BLOCK]}), without the kernel's {@code [12.345]} uptime. */
    private static String prefix(String beforeIn) {
        return beforeIn.trim().replaceFirst("^\\[\\s*[0-9.]+\\]\\s*", "");
    }

    private static Outcome outcome(String prefix) {
        String p = prefix.toUpperCase(Locale.ROOT);
        if (p.contains("REJECT")) {
            return Outcome.REJECTED;
        }
        if (p.contains("DROP") || p.contains("DENY") || p.contains("BLOCK")) {
            return Outcome.UNANSWERED;
        }
        return Outcome.UNKNOWN;
    }

    /** {@code KEY=value} pairs; bare words (SYN, DF) are flags and ignored. */
    private static Map<String, String> fields(String text) {
        Map<String, String> fields = new HashMap<>();
        for (String token : text.split(" +")) {
            int eq = token.indexOf('=');
            if (eq > 0) {
                fields.put(token.substring(0, eq), token.substring(eq + 1));
            }
        }
        return fields;
    }
}
