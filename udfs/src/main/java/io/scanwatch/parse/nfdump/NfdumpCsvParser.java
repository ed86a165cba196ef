package io.scanwatch.parse.nfdump;

import io.scanwatch.event.Transport;
import io.scanwatch.parse.LineParser;
import io.scanwatch.parse.LocalClock;
import io.scanwatch.parse.ParseOptions;
import io.scanwatch.parse.ParsedLine;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * {@code nfdump -o csv}: a header line names the columns, in nfdump 1.7.0–1.7.4 by their tags ({@code
 * ts,te,td,sa,da,sp,dp,pr,flg,...,ipkt,ibyt,opkt,obyt,...}, and a summary after a blank line, skipped), from 1.7.5
 * (Debian 13) by names ({@code firstSeen,duration,proto,srcAddr,...}, also for {@code -o 'csv:%ts,...'}). 1.7.5's
 * own {@code -o csv} leaves out the TCP flags, without which a probe cannot be told from a connection: its TCP rows
 * are refused, saying how to export them.
 */
public final class NfdumpCsvParser implements LineParser {
    /** The columns nfdump 1.7 always prints, in order: what a file written with {@code -q} (no header) holds. */
    private static final String NFDUMP_17_HEADER =
            "ts,te,td,sa,da,sp,dp,pr,flg,fwd,stos,ipkt,ibyt,opkt,obyt,in,out,sas,das,smk,dmk,dtos,dir,nh,nhb,svln,dvln,ismc,odmc,idmc,osmc,mpls1,mpls2,mpls3,mpls4,mpls5,mpls6,mpls7,mpls8,mpls9,mpls10,cl,sl,al,ra,eng,exid,tr";

    private static final int NFDUMP_17_COLUMNS = NFDUMP_17_HEADER.split(",").length;
    /** nfdump 1.7.5's names of the columns read, as the tags of earlier versions. */
    private static final Map<String, String> NAMED_COLUMNS = Map.ofEntries(
            Map.entry("firstSeen", "ts"),
            Map.entry("srcAddr", "sa"),
            Map.entry("dstAddr", "da"),
            Map.entry("srcPort", "sp"),
            Map.entry("dstPort", "dp"),
            Map.entry("proto", "pr"),
            Map.entry("flags", "flg"),
            Map.entry("inPackets", "ipkt"),
            Map.entry("inBytes", "ibyt"),
            Map.entry("outPackets", "opkt"),
            Map.entry("outBytes", "obyt"),
            Map.entry("packets", "ipkt"),
            Map.entry("bytes", "ibyt"));

    static final String NO_TCP_FLAGS = "no TCP flags, which tell a probe from a connection: nfdump 1.7.5's -o csv"
            + " leaves them out; export with -o ndjson (or -o json), or -o"
            + " 'csv:%ts,%te,%td,%sa,%da,%sp,%dp,%pr,%flg,%ipkt,%ibyt,%opkt,%obyt'";
    private static final Pattern DATE_TIME = Pattern.compile("\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}(\\.\\d+)?");

    private final LocalClock clock;
    private Map<String, Integer> columns;
    private boolean summary;

    public NfdumpCsvParser(ParseOptions options) {
        this.clock = options.clock();
    }

    /**
     * Whether a line is a flow as {@code nfdump -q -o csv} writes it, without the header: nfdump 1.7's columns,
     * starting with two date-times.
     */
    public static boolean isHeaderlessRow(String line) {
        String[] values = line.split(",", -1);
        return values.length == NFDUMP_17_COLUMNS
                && DATE_TIME.matcher(values[0]).matches()
                && DATE_TIME.matcher(values[1]).matches();
    }

    /** nfdump ends its rows with a blank line and a summary: everything after the blank is not a flow. */
    @Override
    public ParsedLine parse(String line) {
        if (line == null || line.isBlank()) {
            summary = columns != null;
        }
        return LineParser.super.parse(line);
    }

    /** Whether a line is nfdump's CSV header, in any order: it names the source and destination addresses. */
    public static boolean isHeader(String line) {
        // A flow starts with its date: asked of every row, the names are read only for a line that starts with one.
        if (line.isEmpty() || !Character.isLetter(line.charAt(0))) {
            return false;
        }
        Map<String, Integer> columns = columns(line);
        return columns.containsKey("sa") && columns.containsKey("da");
    }

    @Override
    public ParsedLine parseRecord(String line) {
        if (isHeader(line)) {
            columns = columns(line);
            summary = false;
            return ParsedLine.skipped("nfdump csv header");
        }
        if (summary || line.startsWith("Summary") || line.startsWith("flows,")) {
            // nfdump 1.7 prints "Summary", a header and a row of totals right after the flows.
            summary = true;
            return ParsedLine.skipped("nfdump summary");
        }
        String[] values = line.split(",", -1);
        if (columns == null) {
            if (values.length != NFDUMP_17_COLUMNS) {
                return ParsedLine.rejected(
                        "CSV row before nfdump's header (ts,te,... or firstSeen,...), and not in nfdump 1.7's columns");
            }
            columns = columns(NFDUMP_17_HEADER);
        }
        if (values.length < columns.size()) {
            return ParsedLine.rejected("row has " + values.length + " columns, the header names " + columns.size());
        }
        NfdumpFlow flow = new NfdumpFlow();
        flow.format = NfdumpFlow.FORMAT_CSV;
        flow.first = get(values, "ts");
        flow.sourceIp = get(values, "sa");
        flow.destinationIp = get(values, "da");
        flow.sourcePort = get(values, "sp");
        flow.destinationPort = get(values, "dp");
        flow.protocol = get(values, "pr");
        // nfdump prints an ICMP message's type and code as the destination port: type * 256 + code, from 1.7.5
        // type.code.
        flow.icmpType = icmpType(flow.destinationPort);
        flow.flags = get(values, "flg");
        if (flow.flags == null && flow.protocol != null && Transport.fromName(flow.protocol) == Transport.TCP) {
            return ParsedLine.rejected(NO_TCP_FLAGS);
        }
        flow.inPackets = get(values, "ipkt");
        flow.inBytes = get(values, "ibyt");
        flow.outPackets = get(values, "opkt");
        flow.outBytes = get(values, "obyt");
        try {
            return flow.toParsedLine(clock);
        } catch (IllegalArgumentException e) {
            return ParsedLine.rejected(e.getMessage());
        }
    }

    private static Integer icmpType(String port) {
        if (port == null) {
            return null;
        }
        int dot = port.indexOf('.');
        try {
            return dot < 0
                    ? Integer.parseInt(port.trim()) / 256
                    : Integer.parseInt(port.substring(0, dot).trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static Map<String, Integer> columns(String header) {
        Map<String, Integer> columns = new HashMap<>();
        String[] names = header.split(",", -1);
        for (int i = 0; i < names.length; i++) {
            String name = names[i].trim();
            columns.put(NAMED_COLUMNS.getOrDefault(name, name), i);
        }
        return columns;
    }

    private String get(String[] values, String column) {
        Integer index = columns.get(column);
        return index == null ? null : values[index].trim();
    }
}
