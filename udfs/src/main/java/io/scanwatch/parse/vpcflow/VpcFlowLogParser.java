package io.scanwatch.parse.vpcflow;

import io.scanwatch.event.ConnectionEvent;
import io.scanwatch.event.Outcome;
import io.scanwatch.event.Transport;
import io.scanwatch.parse.FieldValues;
import io.scanwatch.parse.LineParser;
import io.scanwatch.parse.ParsedLine;

/**
 * AWS VPC flow logs, default version-2 format: {@code version account-id interface-id srcaddr dstaddr srcport
 * dstport protocol packets bytes start end action log-status}. REJECT means a security group or network ACL dropped
 * the traffic: the sender got no answer. Records are one direction each, so an ACCEPT says only that traffic was
 * let in, unless it carried more than a handshake's worth.
 */
public final class VpcFlowLogParser implements LineParser {
    static final String FORMAT = "vpcflow";
    /** More than this many packets in one direction is more than a handshake and a reset. */
    private static final long HANDSHAKE_PACKETS = 3;

    @Override
    public ParsedLine parseRecord(String line) {
        String[] f = line.trim().split("\\s+");
        if (f[0].equals("version")) {
            return ParsedLine.skipped("header line");
        }
        if (f.length != 14) {
            return ParsedLine.rejected("has " + f.length + " fields, version 2 has 14");
        }
        if (!f[0].equals("2")) {
            return ParsedLine.rejected("version " + f[0] + " is not the default version 2 format");
        }
        if (f[13].equals("NODATA") || f[13].equals("SKIPDATA")) {
            return ParsedLine.skipped("log-status " + f[13]);
        }
        try {
            ConnectionEvent c = new ConnectionEvent();
            c.format = FORMAT;
            c.timestamp = FieldValues.plausibleTime("start", Math.multiplyExact(Long.parseLong(f[10]), 1000L), f[10]);
            c.sourceIp = FieldValues.ip("srcaddr", f[3]);
            c.destinationIp = FieldValues.ip("dstaddr", f[4]);
            c.transport = Transport.fromName(f[7]);
            if (c.transport == Transport.TCP || c.transport == Transport.UDP) {
                c.sourcePort = FieldValues.port("srcport", f[5]);
                c.destinationPort = FieldValues.port("dstport", f[6]);
            }
            c.sourcePackets = FieldValues.count("packets", f[8]);
            c.sourceBytes = FieldValues.count("bytes", f[9]);
            c.sensorState = f[12] + " " + f[2];
            switch (f[12]) {
                case "REJECT":
                    c.outcome = Outcome.UNANSWERED;
                    break;
                case "ACCEPT":
                    c.outcome = c.sourcePackets > HANDSHAKE_PACKETS ? Outcome.COMPLETED : Outcome.UNKNOWN;
                    break;
                default:
                    return ParsedLine.rejected("action is not ACCEPT or REJECT: '" + f[12] + "'");
            }
            return ParsedLine.connection(c);
        } catch (NumberFormatException | ArithmeticException e) {
            return ParsedLine.rejected("start is not epoch seconds: '" + f[10] + "'");
        } catch (IllegalArgumentException e) {
            return ParsedLine.rejected(e.getMessage());
        }
    }
}
