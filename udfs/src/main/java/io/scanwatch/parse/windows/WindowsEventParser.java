package io.scanwatch.parse.windows;

import io.scanwatch.event.AuthEvent;
import io.scanwatch.event.ConnectionEvent;
import io.scanwatch.event.IcmpMessages;
import io.scanwatch.event.Outcome;
import io.scanwatch.event.Transport;
import io.scanwatch.parse.FieldValues;
import io.scanwatch.parse.LineParser;
import io.scanwatch.parse.LocalClock;
import io.scanwatch.parse.ParseOptions;
import io.scanwatch.parse.ParsedLine;
import io.scanwatch.parse.json.FlatJson;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.time.temporal.TemporalAccessor;

/**
 * Windows events as JSON, in the two shapes found in the wild: flat fields as NXLog writes them (OTRF datasets:
 * {@code EventID}, {@code SourceAddress}, ...) and Winlogbeat's ECS shape with {@code winlog.event_data}.
 *
 * <ul>
 *   <li>Sysmon 3 (NetworkConnect), Security 5156 (permitted) and 5157 (blocked): connections, read from
 *       initiator to responder (Sysmon writes a datagram it received the other way round). A host only sees that
 *       it connected, not how the peer answered: the outcome is unknown, except a blocked connection, which was
 *       refused. Each host and logger writes its own view of a connection: {@code EndpointViews} merges them.
 *   <li>Security 4624 (logon), 4625 (failed logon) and 4771 (Kerberos pre-authentication failed):
 *       authentications. 4776 (NTLM validation) names a workstation, not an address, and is skipped, as are
 *       local logons without a source address.
 * </ul>
 * Time: Sysmon's {@code UtcTime}, else {@code @timestamp}, else {@code EventTime}. Sysmon writes {@code UtcTime} as
 * {@code 2020-10-22 08:29:52.475}; pipelines that normalise times rewrite it in ISO 8601 ({@code
 * 2020-10-22T08:29:52.475Z}, or with an offset), and NXLog writes {@code EventTime} either as local time ({@code
 * 2020-02-04 14:59:40}) or in ISO 8601 with microseconds and an offset ({@code 2020-02-04T14:59:40.780905+01:00}):
 * each is read in either form, an offset as {@code +01:00}, {@code +0100}, {@code +01} or {@code Z}. A time without an offset is
 * UTC for {@code UtcTime} and {@code @timestamp}, as their names and ECS say, and in the configured zone for {@code
 * EventTime}.
 */
public final class WindowsEventParser implements LineParser {
    public static final String FORMAT = "windows-json";
    /** Sysmon's form, or ISO 8601's, with an offset or without. */
    private static final DateTimeFormatter TIME = new DateTimeFormatterBuilder()
            .append(DateTimeFormatter.ISO_LOCAL_DATE)
            .appendPattern("[' ']['T']")
            .append(DateTimeFormatter.ISO_LOCAL_TIME)
            .appendPattern("[XXX][XX][X]")
            .toFormatter();

    private final LocalClock clock;

    public WindowsEventParser(ParseOptions options) {
        this.clock = options.clock();
    }

    @Override
    public ParsedLine parseRecord(String line) {
        try {
            WindowsEvent event = new WindowsEvent(FlatJson.parse(line));
            String id = event.id();
            if (id == null) {
                return ParsedLine.rejected("no EventID");
            }
            switch (id) {
                case "3":
                    return event.isSysmon()
                            ? connection(event, "SourceIp", "DestinationIp", "DestinationPort", false)
                            : ParsedLine.skipped("event 3 outside the Sysmon channel");
                case "5156":
                    return connection(event, "SourceAddress", "DestAddress", "DestPort", false);
                case "5157":
                    return connection(event, "SourceAddress", "DestAddress", "DestPort", true);
                case "4624":
                case "4625":
                case "4771":
                    return authentication(event, id);
                case "4776":
                    return ParsedLine.skipped("4776 names a workstation, not a source address");
                default:
                    return ParsedLine.skipped("event " + id + " not watched");
            }
        } catch (IllegalArgumentException | DateTimeParseException e) {
            return ParsedLine.rejected(isXml(line) ? XML_REASON : e.getMessage());
        }
    }

    public static final String XML_REASON =
            "a Windows event in XML, which scanwatch does not read: export events as JSON lines"
                    + " (Winlogbeat's or NXLog's JSON output)";

    /**
     * Whether the line looks like an event as Event Viewer or wevtutil export it: an element or a declaration, not
     * syslog's {@code <PRI>}.
     */
    public static boolean isXml(String line) {
        String stripped = line.stripLeading();
        return stripped.length() > 1
                && stripped.charAt(0) == '<'
                && (Character.isLetter(stripped.charAt(1)) || stripped.charAt(1) == '?' || stripped.charAt(1) == '!');
    }

    private ParsedLine connection(
            WindowsEvent e, String source, String destination, String destinationPort, boolean blocked) {
        ConnectionEvent c = new ConnectionEvent();
        c.format = FORMAT;
        c.timestamp = time(e);
        c.sourceIp = FieldValues.ip(source, e.data(source));
        c.sourcePort = FieldValues.port("SourcePort", e.data("SourcePort"));
        c.destinationIp = FieldValues.ip(destination, e.data(destination));
        c.destinationPort = FieldValues.port(destinationPort, e.data(destinationPort));
        String protocol = e.data("Protocol");
        c.transport = protocol == null ? Transport.OTHER : Transport.fromName(protocol);
        if (c.transport == Transport.ICMP) {
            // The filtering platform writes ICMP type and code as ports, the type as the sender's port: the source
            // port of an outbound event, the destination port of an inbound one. They are not services.
            String direction = e.data("Direction");
            int type = direction != null && direction(direction).equalsIgnoreCase("inbound")
                    ? c.destinationPort
                    : c.sourcePort;
            if (!IcmpMessages.isRequest(type)) {
                return ParsedLine.skipped(IcmpMessages.NOT_A_REQUEST);
            }
            c.sourcePort = -1;
            c.destinationPort = -1;
        }
        if (c.transport == Transport.UDP && e.id().equals("3") && receivedDatagram(e.data("Initiated"), c)) {
            // Sysmon writes a datagram it received from the receiving socket's side (a domain controller's LDAP
            // answer port as source, the client's port as destination), a TCP connection it accepted from the
            // initiator's: read both from the initiator, as the filtering platform's events at either end are.
            String ip = c.sourceIp;
            int port = c.sourcePort;
            c.sourceIp = c.destinationIp;
            c.sourcePort = c.destinationPort;
            c.destinationIp = ip;
            c.destinationPort = port;
        }
        c.outcome = blocked ? Outcome.REJECTED : Outcome.UNKNOWN;
        c.sensorState = "event " + e.id() + (e.data("Direction") != null ? " " + direction(e.data("Direction")) : "")
                + (e.data("Initiated") != null ? " initiated=" + e.data("Initiated") : "");
        return ParsedLine.connection(c);
    }

    /**
     * Whether Sysmon wrote the datagram at the host that received it: its {@code Initiated} flag says so; without
     * one (a shipper that dropped it), a datagram from a service's port to a client's is the service's side.
     */
    private static boolean receivedDatagram(String initiated, ConnectionEvent c) {
        if (initiated != null && (initiated.equalsIgnoreCase("true") || initiated.equalsIgnoreCase("false"))) {
            return initiated.equalsIgnoreCase("false");
        }
        return c.sourcePort >= 0 && c.sourcePort < 1024 && c.destinationPort >= 1024;
    }

    private ParsedLine authentication(WindowsEvent e, String id) {
        String address = e.data("IpAddress");
        if (address == null || address.equals("-") || address.isEmpty()) {
            return ParsedLine.skipped("logon without a source address (local)");
        }
        AuthEvent a = new AuthEvent();
        a.format = FORMAT;
        a.timestamp = time(e);
        a.sourceIp = FieldValues.ip("IpAddress", address);
        if (a.sourceIp.equals("127.0.0.1") || a.sourceIp.equals("::1")) {
            return ParsedLine.skipped("logon from the host itself");
        }
        String port = e.data("IpPort");
        a.sourcePort = port == null || port.equals("-") ? -1 : FieldValues.port("IpPort", port);
        a.targetHost = e.computer();
        String user = e.data("TargetUserName");
        if ("ANONYMOUS LOGON".equalsIgnoreCase(user) || "S-1-5-7".equals(e.data("TargetUserSid"))) {
            return ParsedLine.skipped("anonymous logon (a null session, as nmap's SMB scripts open one): no account");
        }
        a.user = FieldValues.account(user, "-");
        a.success = id.equals("4624");
        a.service = id.equals("4771") ? "kerberos" : "windows";
        StringBuilder detail = new StringBuilder("event ").append(id);
        if (e.data("LogonType") != null) {
            detail.append(", logon type ").append(e.data("LogonType"));
        }
        if (e.data("Status") != null) {
            detail.append(", status ").append(e.data("Status"));
        }
        if (e.data("SubStatus") != null && !e.data("SubStatus").equals("0x0")) {
            detail.append(", substatus ").append(e.data("SubStatus"));
        }
        a.detail = detail.toString();
        return ParsedLine.authentication(a);
    }

    private long time(WindowsEvent e) {
        String utc = e.data("UtcTime");
        String stamp = e.top("@timestamp");
        String local = e.top("EventTime");
        String text = utc != null ? utc : stamp != null ? stamp : local;
        if (text == null) {
            throw new IllegalArgumentException("no time (UtcTime, @timestamp or EventTime)");
        }
        return FieldValues.plausibleTime("event time", millis(text, utc == null && stamp == null), text);
    }

    /** The time {@code text} gives: at its offset, else on the sensor's clock if {@code local}, else in UTC. */
    private long millis(String text, boolean local) {
        TemporalAccessor parsed = TIME.parse(text);
        LocalDateTime time = LocalDateTime.from(parsed);
        if (local && !parsed.isSupported(ChronoField.OFFSET_SECONDS)) {
            return clock.epochMilli(time);
        }
        long at = time.toInstant(
                        parsed.isSupported(ChronoField.OFFSET_SECONDS) ? ZoneOffset.from(parsed) : ZoneOffset.UTC)
                .toEpochMilli();
        clock.saw(at);
        return at;
    }

    private static String direction(String code) {
        switch (code) {
            case "%%14592":
                return "inbound";
            case "%%14593":
                return "outbound";
            default:
                return code;
        }
    }
}
