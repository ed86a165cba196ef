package io.scanwatch.parse.vpcflow;

import io.scanwatch.event.ConnectionEvent;
import io.scanwatch.event.Outcome;
import io.scanwatch.event.Transport;
import io.scanwatch.parse.FieldValues;
import io.scanwatch.parse.LineParser;
import io.scanwatch.parse.ParsedLine;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/**
 * AWS VPC flow logs: the default version-2 format ({@code version account-id interface-id srcaddr dstaddr srcport
 * dstport protocol packets bytes start end action log-status}), or a custom format, read from the header line that
 * names its fields (S3 delivers each file with one). REJECT means a security group or network ACL dropped the
 * traffic: the sender got no answer. Records are one direction each, so an ACCEPT says only that traffic was let in,
 * unless it carried more than a handshake's worth.
 */
public final class VpcFlowLogParser implements LineParser {
    /** VPC flow logs name no ICMP type, so an accepted ICMP record may as well be a reply as a request. */
    static final String ICMP_ACCEPTED = "accepted ICMP: VPC flow logs name no ICMP type, and a reply is no probe";

    static final String FORMAT = "vpcflow";
    /** More than this many packets in one direction is more than a handshake and a reset. */
    private static final long HANDSHAKE_PACKETS = 3;

    private static final Pattern FIELD_NAME = Pattern.compile("[a-z][a-z0-9-]*");

    private VpcFlowFields fields = VpcFlowFields.VERSION_2;

    /** Whether the line names a flow log's fields: every word a field name, the addresses among them. */
    public static boolean isHeader(String line) {
        return isHeader(line.trim().split("\\s+"));
    }

    /** A record's first word is a number or an address, or a name with digits (eni-0a1b): a header's is a name. */
    private static boolean isHeader(String[] words) {
        char first = words[0].isEmpty() ? ' ' : words[0].charAt(0);
        if (first < 'a' || first > 'z') {
            return false;
        }
        List<String> names = Arrays.asList(words);
        return names.contains("srcaddr")
                && names.contains("dstaddr")
                && names.stream().allMatch(word -> FIELD_NAME.matcher(word).matches());
    }

    @Override
    public ParsedLine parseRecord(String line) {
        String[] f = line.trim().split("\\s+");
        if (isHeader(f)) {
            try {
                fields = VpcFlowFields.of(f);
            } catch (IllegalArgumentException e) {
                return ParsedLine.rejected(e.getMessage());
            }
            return ParsedLine.skipped("header line");
        }
        if (f.length != fields.count()) {
            return ParsedLine.rejected(
                    fields.custom()
                            ? "has " + f.length + " fields, the header line names " + fields.count()
                            : "has " + f.length
                                    + " fields, version 2 has 14 (a custom format is read from the header line"
                                    + " that names its fields, as S3 delivers it)");
        }
        String version = fields.value(f, fields.version());
        if (!fields.custom() && !"2".equals(version)) {
            return ParsedLine.rejected("version " + version + " without a header line naming its fields (read"
                    + " without one: version 2's 14 fields)");
        }
        String status = fields.value(f, fields.logStatus());
        if ("NODATA".equals(status) || "SKIPDATA".equals(status)) {
            return ParsedLine.skipped("log-status " + status);
        }
        String start = fields.value(f, fields.start());
        String action = fields.value(f, fields.action());
        try {
            ConnectionEvent c = new ConnectionEvent();
            c.format = FORMAT;
            c.timestamp = FieldValues.plausibleTime("start", Math.multiplyExact(Long.parseLong(start), 1000L), start);
            c.sourceIp = FieldValues.ip("srcaddr", fields.address(f, fields.packetSource(), fields.source()));
            c.destinationIp =
                    FieldValues.ip("dstaddr", fields.address(f, fields.packetDestination(), fields.destination()));
            c.transport = Transport.fromName(fields.value(f, fields.protocol()));
            if (c.transport == Transport.TCP || c.transport == Transport.UDP) {
                c.sourcePort = FieldValues.port("srcport", fields.value(f, fields.sourcePort()));
                c.destinationPort = FieldValues.port("dstport", fields.value(f, fields.destinationPort()));
            }
            c.sourcePackets = FieldValues.count("packets", fields.value(f, fields.packets()));
            c.sourceBytes = FieldValues.count("bytes", fields.value(f, fields.bytes()));
            String networkInterface = fields.value(f, fields.networkInterface());
            c.sensorState = networkInterface == null ? action : action + " " + networkInterface;
            switch (action) {
                case "REJECT":
                    c.outcome = Outcome.UNANSWERED;
                    break;
                case "ACCEPT":
                    if (c.transport == Transport.ICMP) {
                        // A server answering the Internet's pings would be taken for a ping sweep of its pingers.
                        return ParsedLine.skipped(ICMP_ACCEPTED);
                    }
                    c.outcome = c.sourcePackets > HANDSHAKE_PACKETS ? Outcome.COMPLETED : Outcome.UNKNOWN;
                    break;
                default:
                    return ParsedLine.rejected("action is not ACCEPT or REJECT: '" + action + "'");
            }
            return ParsedLine.connection(c);
        } catch (NumberFormatException | ArithmeticException e) {
            return ParsedLine.rejected("start is not epoch seconds: '" + start + "'");
        } catch (IllegalArgumentException e) {
            return ParsedLine.rejected(e.getMessage());
        }
    }
}
