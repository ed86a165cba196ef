package io.scanwatch.parse.nfdump;

import io.scanwatch.parse.LineParser;
import io.scanwatch.parse.LocalClock;
import io.scanwatch.parse.ParseOptions;
import io.scanwatch.parse.ParsedLine;
import io.scanwatch.parse.json.FlatJson;
import java.util.Map;

/**
 * {@code nfdump -o json} (1.7): a pretty-printed array of flow objects, one field per line, or one object per line
 * ({@code -o json-log}). Lines are gathered until an object closes; the object's last line carries its verdict,
 * the lines before it count as skipped fragments. A runaway object is cut off and rejected.
 */
public final class NfdumpJsonParser implements LineParser {
    private static final int MAX_OBJECT_CHARS = 64 * 1024;

    private final LocalClock clock;
    private final StringBuilder object = new StringBuilder();
    /** Lines of the object being gathered: a dead letter's place is the object's last line, which says where it began. */
    private int objectLines;

    public NfdumpJsonParser(ParseOptions options) {
        this.clock = options.clock();
    }

    @Override
    public ParsedLine parseRecord(String line) {
        String trimmed = line.trim();
        if (object.length() == 0) {
            if (trimmed.equals("[") || trimmed.equals("]")) {
                return ParsedLine.skipped("JSON array bracket");
            }
            if (!trimmed.startsWith("{")) {
                return ParsedLine.rejected("not the start of a JSON object");
            }
        }
        if (object.length() > 0 && !trimmed.startsWith("\"") && !trimmed.startsWith("}")) {
            // Not a member of the object being gathered: the object is broken, and so is this line.
            object.setLength(0);
            return ParsedLine.rejected("not a member of the multi-line JSON object begun before it");
        }
        if (object.length() == 0) {
            objectLines = 0;
        }
        object.append(trimmed).append('\n');
        objectLines++;
        if (object.length() > MAX_OBJECT_CHARS) {
            object.setLength(0);
            return ParsedLine.rejected("JSON object longer than " + MAX_OBJECT_CHARS + " characters");
        }
        // nfdump closes the last object and the array on one line: "}]".
        boolean last = trimmed.equals("}]");
        if (!last && !trimmed.equals("}") && !trimmed.equals("},") && !(trimmed.startsWith("{") && closes(trimmed))) {
            return ParsedLine.skipped("part of a multi-line JSON object");
        }
        String text = object.toString().trim();
        object.setLength(0);
        if (text.endsWith(",") || text.endsWith("]")) {
            text = text.substring(0, text.length() - 1);
        }
        ParsedLine parsed;
        try {
            parsed = flow(FlatJson.parse(text));
        } catch (IllegalArgumentException e) {
            parsed = ParsedLine.rejected(e.getMessage(), text);
        }
        return parsed.kind() == ParsedLine.Kind.REJECTED && objectLines > 1
                ? ParsedLine.rejected(
                        parsed.reason() + " (in the object of " + objectLines + " lines that ends here)",
                        parsed.record() != null ? parsed.record() : text)
                : parsed;
    }

    private static boolean closes(String line) {
        return line.endsWith("}") || line.endsWith("},");
    }

    private ParsedLine flow(Map<String, String> json) {
        String type = json.get("type");
        if (type != null && !type.equals("FLOW")) {
            return ParsedLine.skipped("record type " + type + " is not a flow");
        }
        NfdumpFlow flow = new NfdumpFlow();
        flow.format = NfdumpFlow.FORMAT_JSON;
        flow.first = json.get("first");
        flow.sourceIp = json.containsKey("src6_addr") ? json.get("src6_addr") : json.get("src4_addr");
        flow.destinationIp = json.containsKey("dst6_addr") ? json.get("dst6_addr") : json.get("dst4_addr");
        flow.sourcePort = json.get("src_port");
        flow.destinationPort = json.get("dst_port");
        flow.protocol = json.get("proto");
        String icmpType = json.get("icmp_type");
        flow.icmpType = icmpType == null || !icmpType.matches("[0-9]{1,3}") ? null : Integer.valueOf(icmpType);
        flow.flags = json.get("tcp_flags");
        flow.inPackets = json.get("in_packets");
        flow.inBytes = json.get("in_bytes");
        flow.outPackets = json.get("out_packets");
        flow.outBytes = json.get("out_bytes");
        return flow.toParsedLine(clock);
    }
}
