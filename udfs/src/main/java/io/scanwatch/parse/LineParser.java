package io.scanwatch.parse;

/**
 * Turns the records of one stream (a file, a partition) into events. One instance per stream, because some
 * formats carry state in the stream itself (Zeek's {@code #fields} header). Never throws on bad input.
 */
public interface LineParser {
    ParsedLine parse(String line);

    /** The format this parser found the stream to be in, where it had to find out; null otherwise. */
    default TelemetryFormat recognised() {
        return null;
    }
}
