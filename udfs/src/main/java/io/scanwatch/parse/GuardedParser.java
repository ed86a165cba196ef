package io.scanwatch.parse;

/**
 * The one place where a parser's failure becomes a record's verdict. Parsers reject bad records themselves, with a
 * precise reason; this guard is for the failure nobody foresaw (an index out of range on an empty field, a stack
 * overflow on hostile nesting), so that it costs one record, never the job.
 */
public final class GuardedParser implements LineParser {
    private static final int MAX_MESSAGE_CHARS = 200;

    private final LineParser parser;

    private GuardedParser(LineParser parser) {
        this.parser = parser;
    }

    public static LineParser of(LineParser parser) {
        return parser instanceof GuardedParser ? parser : new GuardedParser(parser);
    }

    @Override
    public ParsedLine parse(String line) {
        try {
            return parser.parse(line);
        } catch (RuntimeException | StackOverflowError e) {
            return ParsedLine.rejected("parser failed on this record: " + describe(e));
        }
    }

    @Override
    public ParsedLine parse(byte[] utf8, int length) {
        try {
            return parser.parse(utf8, length);
        } catch (RuntimeException | StackOverflowError e) {
            return ParsedLine.rejected("parser failed on this record: " + describe(e));
        }
    }

    @Override
    public ParsedLine parseRecord(String line) {
        return parse(line);
    }

    @Override
    public boolean awaitsHeader() {
        return parser.awaitsHeader();
    }

    @Override
    public String recognisedFormat() {
        return parser.recognisedFormat();
    }

    static String describe(Throwable e) {
        String message = e.getMessage();
        if (message == null) {
            return e.getClass().getSimpleName();
        }
        int newline = message.indexOf('\n');
        String first = newline < 0 ? message : message.substring(0, newline);
        if (first.length() > MAX_MESSAGE_CHARS) {
            first = first.substring(0, MAX_MESSAGE_CHARS) + "...";
        }
        return e.getClass().getSimpleName() + ": " + first;
    }
}
