package io.scanwatch.parse.catalog;

import io.scanwatch.parse.LineParser;
import io.scanwatch.parse.LocalClock;
import io.scanwatch.parse.ParseOptions;
import io.scanwatch.parse.ParsedLine;
import io.scanwatch.parse.netfilter.NetfilterLogParser;
import io.scanwatch.parse.sshd.SshdLogParser;
import io.scanwatch.parse.syslog.JournalEntry;
import io.scanwatch.parse.syslog.SyslogLine;
import java.util.function.Function;

/**
 * A syslog stream that may hold sshd's lines and netfilter's together (a collector's file of every host and
 * facility, a syslog topic, the journal's entries): each line goes to the parser of its kind, and other programs'
 * lines are skipped. A line counts under its kind's format; a line of neither kind (another program, a header that
 * does not read) under the first kind the stream showed, so that a file of one kind counts as it does when named by
 * that kind.
 */
final class SyslogParser implements LineParser {
    private final Function<String, SyslogLine> header;
    private final SshdLogParser sshd;
    private final NetfilterLogParser netfilter;
    private TelemetryFormat firstKind;
    private TelemetryFormat lineKind;

    /** @param header a line's syslog header and message; throws {@link IllegalArgumentException} when it has none */
    SyslogParser(ParseOptions options, Function<String, SyslogLine> header) {
        this.header = header;
        this.sshd = new SshdLogParser(options);
        this.netfilter = new NetfilterLogParser(options);
    }

    /** Syslog's own lines, as log files hold them. */
    static SyslogParser lines(ParseOptions options) {
        LocalClock clock = options.clock();
        return new SyslogParser(options, line -> SyslogLine.parse(line, options, clock));
    }

    /** The journal's entries as {@code journalctl -o json} prints them. */
    static SyslogParser journal(ParseOptions options) {
        return new SyslogParser(options, JournalEntry::parse);
    }

    @Override
    public ParsedLine parseRecord(String line) {
        lineKind = firstKind;
        if (isJournalMarker(line)) {
            return ParsedLine.skipped("journalctl's marker line");
        }
        try {
            SyslogLine syslog = header.apply(line);
            if (SshdLogParser.wrote(syslog)) {
                return sshd.parse(kind(syslog, TelemetryFormat.SSHD));
            }
            if (NetfilterLogParser.wrote(syslog)) {
                return netfilter.parse(kind(syslog, TelemetryFormat.NETFILTER));
            }
            return ParsedLine.skipped("neither an sshd nor a netfilter packet log line");
        } catch (IllegalArgumentException e) {
            return ParsedLine.rejected(e.getMessage());
        }
    }

    /** {@code -- Boot 3f2a... --}, {@code -- Logs begin at ... --}: what journalctl's text output puts between entries. */
    static boolean isJournalMarker(String line) {
        return line.startsWith("-- ") && line.stripTrailing().endsWith(" --");
    }

    private SyslogLine kind(SyslogLine syslog, TelemetryFormat kind) {
        lineKind = kind;
        if (firstKind == null) {
            firstKind = kind;
        }
        return syslog;
    }

    @Override
    public String recognisedFormat() {
        return lineKind == null ? null : lineKind.id();
    }
}
