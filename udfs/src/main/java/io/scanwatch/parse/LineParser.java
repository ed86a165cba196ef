package io.scanwatch.parse;

/**
 * Turns the records of one stream (a file, a partition) into events. One instance per stream, because some
 * formats carry state in the stream itself (Zeek's {@code #fields} header). Never throws on bad input.
 */
public interface LineParser {
    /** Every line gets exactly one verdict; blank lines are skipped before a format sees them. */
    default ParsedLine parse(String line) {
        if (line == null || line.isBlank()) {
            return ParsedLine.skipped("blank line");
        }
        return parseRecord(line);
    }

    /** A line that is not blank. */
    ParsedLine parseRecord(String line);

    /** The id of the format this parser found the stream to be in, where it had to find out; null otherwise. */
    default String recognisedFormat() {
        return null;
    }
}
