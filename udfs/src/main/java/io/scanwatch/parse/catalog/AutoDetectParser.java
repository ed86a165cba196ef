package io.scanwatch.parse.catalog;

import io.scanwatch.parse.LineParser;
import io.scanwatch.parse.ParseOptions;
import io.scanwatch.parse.ParsedLine;
import io.scanwatch.parse.json.FlatJson;
import io.scanwatch.parse.nfdump.NfdumpCsvParser;
import io.scanwatch.parse.syslog.SyslogLine;
import io.scanwatch.parse.vpcflow.VpcFlowLogParser;
import io.scanwatch.parse.windows.WindowsEventParser;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Recognises a stream's format from its first telling line and hands every line to that format's parser. Zeek TSV
 * headers say which log they belong to only in {@code #path} or {@code #fields}, so header lines are kept and
 * replayed to the chosen parser. Lines before the format is known that tell nothing are rejected, saying so. A
 * syslog line of any program makes the stream {@code syslog}, whose parser finds each line's kind.
 */
final class AutoDetectParser implements LineParser {
    private static final int MAX_HEADER_LINES = 32;
    private static final List<String> ZEEK_DIRECTIVES =
            List.of("#separator", "#set_separator", "#empty_field", "#unset_field", "#open", "#types", "#close");

    private final ParseOptions options;
    private final List<String> zeekHeader = new ArrayList<>();
    private LineParser chosen;
    private TelemetryFormat chosenFormat;

    AutoDetectParser(ParseOptions options) {
        this.options = options;
    }

    @Override
    public ParsedLine parse(String line) {
        return chosen != null ? chosen.parse(line) : LineParser.super.parse(line);
    }

    @Override
    public ParsedLine parse(byte[] utf8, int length) {
        return chosen != null ? chosen.parse(utf8, length) : LineParser.super.parse(utf8, length);
    }

    @Override
    public ParsedLine parseRecord(String line) {
        TelemetryFormat format = recognise(line.trim());
        if (format == null && isZeekHeader(line) && zeekHeader.size() < MAX_HEADER_LINES) {
            zeekHeader.add(line);
            return ParsedLine.skipped("zeek header");
        }
        if (format == null) {
            return ParsedLine.rejected(
                    WindowsEventParser.isXml(line)
                            ? WindowsEventParser.XML_REASON
                            : SyslogLine.isRfc5424(line.trim())
                                    ? SyslogLine.RFC_5424_REASON
                                    : "format not recognised (give it: --input FORMAT=PATH)");
        }
        chosen = format.newParser(options);
        chosenFormat = format;
        for (String header : zeekHeader) {
            chosen.parse(header);
        }
        zeekHeader.clear();
        return chosen.parse(line);
    }

    /** Before a telling line, a TSV row may be waiting for the header that would have told. */
    @Override
    public boolean awaitsHeader() {
        return chosen == null || chosen.awaitsHeader();
    }

    @Override
    public String recognisedFormat() {
        if (chosen == null) {
            return null;
        }
        String withinStream = chosen.recognisedFormat();
        return withinStream != null ? withinStream : chosenFormat.id();
    }

    private static boolean isZeekHeader(String line) {
        for (String directive : ZEEK_DIRECTIVES) {
            if (line.startsWith(directive)) {
                return true;
            }
        }
        return false;
    }

    private TelemetryFormat recognise(String line) {
        if (line.startsWith("#path")) {
            return line.endsWith("ssh")
                    ? TelemetryFormat.ZEEK_SSH
                    : line.endsWith("conn") ? TelemetryFormat.ZEEK_CONN : null;
        }
        if (line.startsWith("#fields")) {
            return line.contains("auth_attempts")
                    ? TelemetryFormat.ZEEK_SSH
                    : line.contains("conn_state") ? TelemetryFormat.ZEEK_CONN : null;
        }
        if (line.equals("[")) {
            return TelemetryFormat.NFDUMP_JSON;
        }
        if (line.startsWith("{")) {
            return json(line);
        }
        if (NfdumpCsvParser.isHeader(line) || NfdumpCsvParser.isHeaderlessRow(line)) {
            return TelemetryFormat.NFDUMP_CSV;
        }
        if (SyslogParser.isJournalMarker(line)) {
            return TelemetryFormat.SYSLOG;
        }
        if (VpcFlowLogParser.isHeader(line) || line.matches("2 \\S+ \\S+ \\S+ \\S+ .*(ACCEPT|REJECT|-) \\S+")) {
            return TelemetryFormat.VPCFLOW;
        }
        try {
            // Any program's line: a syslog file may begin with cron's lines and hold sshd's and netfilter's after.
            SyslogLine.parse(line, options, options.clock());
            return TelemetryFormat.SYSLOG;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static TelemetryFormat json(String line) {
        Map<String, String> keys;
        try {
            keys = FlatJson.parse(line);
        } catch (IllegalArgumentException e) {
            return line.equals("{") ? TelemetryFormat.NFDUMP_JSON : null;
        }
        if (keys.containsKey("__REALTIME_TIMESTAMP")) {
            return TelemetryFormat.JOURNALD_JSON;
        }
        if (keys.containsKey("event_type")) {
            return TelemetryFormat.SURICATA_EVE;
        }
        if (keys.containsKey("auth_attempts") || keys.containsKey("auth_success")) {
            return TelemetryFormat.ZEEK_SSH;
        }
        if (keys.containsKey("conn_state") || keys.containsKey("id.orig_h")) {
            return TelemetryFormat.ZEEK_CONN;
        }
        if (keys.containsKey("EventID") || keys.containsKey("winlog.event_id") || keys.containsKey("winlog.channel")) {
            return TelemetryFormat.WINDOWS_JSON;
        }
        if (keys.containsKey("src4_addr") || keys.containsKey("src6_addr")) {
            return TelemetryFormat.NFDUMP_JSON;
        }
        return null;
    }
}
