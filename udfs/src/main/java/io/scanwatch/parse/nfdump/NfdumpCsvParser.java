package io.scanwatch.parse.nfdump;

import io.scanwatch.parse.LineParser;
import io.scanwatch.parse.ParseOptions;
import io.scanwatch.parse.ParsedLine;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * {@code nfdump -o csv} (1.7): a header line names the columns ({@code ts,te,td,sa,da,sp,dp,pr,flg,...,ipkt,ibyt,
 * opkt,obyt,...}); the summary nfdump appends after a blank line is skipped.
 */
public final class NfdumpCsvParser implements LineParser {
    /** The columns nfdump 1.7 always prints, in order: what a file written with {@code -q} (no header) holds. */
    private static final String NFDUMP_17_HEADER =
            "ts,te,td,sa,da,sp,dp,pr,flg,fwd,stos,ipkt,ibyt,opkt,obyt,in,out,sas,das,smk,dmk,dtos,dir,nh,nhb,svln,dvln,ismc,odmc,idmc,osmc,mpls1,mpls2,mpls3,mpls4,mpls5,mpls6,mpls7,mpls8,mpls9,mpls10,cl,sl,al,ra,eng,exid,tr";

    private static final int NFDUMP_17_COLUMNS = NFDUMP_17_HEADER.split(",").length;
    private static final Pattern DATE_TIME = Pattern.compile("\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}(\\.\\d+)?");

    private final ParseOptions options;
    private Map<String, Integer> columns;
    private boolean summary;

    public NfdumpCsvParser(ParseOptions options) {
        this.options = options;
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

    @Override
    public ParsedLine parseRecord(String line) {
        if (line.startsWith("ts,")) {
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
                return ParsedLine.rejected("CSV row before the 'ts,te,...' header, and not in nfdump 1.7's columns");
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
        // nfdump prints an ICMP message's type and code as the destination port: type * 256 + code.
        flow.icmpType = icmpType(flow.destinationPort);
        flow.flags = get(values, "flg");
        flow.inPackets = get(values, "ipkt");
        flow.inBytes = get(values, "ibyt");
        flow.outPackets = get(values, "opkt");
        flow.outBytes = get(values, "obyt");
        try {
            return flow.toParsedLine(options.zone());
        } catch (IllegalArgumentException e) {
            return ParsedLine.rejected(e.getMessage());
        }
    }

    private static Integer icmpType(String port) {
        try {
            return port == null ? null : Integer.parseInt(port.trim()) / 256;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static Map<String, Integer> columns(String header) {
        Map<String, Integer> columns = new HashMap<>();
        String[] names = header.split(",", -1);
        for (int i = 0; i < names.length; i++) {
            columns.put(names[i].trim(), i);
        }
        return columns;
    }

    private String get(String[] values, String column) {
        Integer index = columns.get(column);
        return index == null ? null : values[index].trim();
    }
}
