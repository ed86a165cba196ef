package io.scanwatch.parse.syslog;

import io.scanwatch.parse.LineParser;
import io.scanwatch.parse.LocalClock;
import io.scanwatch.parse.ParseOptions;
import io.scanwatch.parse.ParsedLine;

/** The lines one program writes to syslog: the header read here, the message by the program's parser. */
public abstract class SyslogProgramParser implements LineParser {
    private final ParseOptions options;
    private final LocalClock clock;

    protected SyslogProgramParser(ParseOptions options) {
        this.options = options;
        this.clock = options.clock();
    }

    @Override
    public final ParsedLine parseRecord(String line) {
        try {
            return parse(SyslogLine.parse(line, options, clock));
        } catch (IllegalArgumentException e) {
            return ParsedLine.rejected(e.getMessage());
        }
    }

    /** The verdict on a line whose header is read; throws {@link IllegalArgumentException} on a bad field. */
    public abstract ParsedLine parse(SyslogLine syslog);
}
