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
        ParsedLine parsed = parseRecord(line);
        // Looked for only in what is refused: every format's reason would otherwise blame the layout.
        if (parsed.kind() == ParsedLine.Kind.REJECTED && line.indexOf('\u0000') >= 0) {
            return ParsedLine.rejected(
                    "NUL characters in the line: binary data, or text in UTF-16 (inputs are read as UTF-8); "
                            + parsed.reason(),
                    parsed.record());
        }
        return parsed;
    }

    /** A line that is not blank. */
    ParsedLine parseRecord(String line);

    /** The id of the format this parser found the stream to be in, where it had to find out; null otherwise. */
    default String recognisedFormat() {
        return null;
    }
}
