package io.scanwatch.parse.vpcflow;

import java.util.Arrays;
import java.util.List;

/**
 * Where a flow log's records hold the fields scanwatch reads: each an index into a record's words, -1 for a field
 * the format leaves out.
 *
 * @param names the fields in order, as the header line names them
 * @param packetSource {@code pkt-srcaddr}: behind a NAT gateway or a load balancer, the address that sent the packet,
 *     where {@code srcaddr} is the interface's
 */
record VpcFlowFields(
        List<String> names,
        int version,
        int networkInterface,
        int source,
        int destination,
        int packetSource,
        int packetDestination,
        int sourcePort,
        int destinationPort,
        int protocol,
        int packets,
        int bytes,
        int start,
        int action,
        int logStatus) {

    private static final List<String> VERSION_2_NAMES = List.of(
            "version",
            "account-id",
            "interface-id",
            "srcaddr",
            "dstaddr",
            "srcport",
            "dstport",
            "protocol",
            "packets",
            "bytes",
            "start",
            "end",
            "action",
            "log-status");

    /** The default format, read when no header line names others. */
    static final VpcFlowFields VERSION_2 = of(VERSION_2_NAMES.toArray(String[]::new));

    /** The fields a header line names; throws {@link IllegalArgumentException} when one scanwatch needs is missing. */
    static VpcFlowFields of(String... header) {
        List<String> names = Arrays.asList(header);
        List<String> missing = List.of("srcaddr", "dstaddr", "dstport", "protocol", "start", "action").stream()
                .filter(name -> !names.contains(name))
                .toList();
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("the header line names no " + String.join(", ", missing)
                    + ": a custom flow log format needs them to be read");
        }
        return new VpcFlowFields(
                List.copyOf(names),
                names.indexOf("version"),
                names.indexOf("interface-id"),
                names.indexOf("srcaddr"),
                names.indexOf("dstaddr"),
                names.indexOf("pkt-srcaddr"),
                names.indexOf("pkt-dstaddr"),
                names.indexOf("srcport"),
                names.indexOf("dstport"),
                names.indexOf("protocol"),
                names.indexOf("packets"),
                names.indexOf("bytes"),
                names.indexOf("start"),
                names.indexOf("action"),
                names.indexOf("log-status"));
    }

    int count() {
        return names.size();
    }

    /** Whether these are not version 2's fields, and so came from a header line. */
    boolean custom() {
        return !names.equals(VERSION_2_NAMES);
    }

    /** A record's value of a field, null where the format has none. */
    String value(String[] record, int field) {
        return field < 0 ? null : record[field];
    }

    /** The packet's address where the record has it ({@code -} where it is the interface's), else the interface's. */
    String address(String[] record, int packetField, int interfaceField) {
        String packet = value(record, packetField);
        return packet == null || packet.equals("-") ? record[interfaceField] : packet;
    }
}
