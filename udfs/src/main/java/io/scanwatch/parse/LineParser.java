package io.scanwatch.parse;

import java.nio.charset.StandardCharsets;

/**
 * Turns the records of one stream (a file, a partition) into events. One instance per stream, because some
 * formats carry state in the stream itself (Zeek's {@code #fields} header). Never throws on bad input.
 */
public interface LineParser {
    /** The start of the reason of a refused line that holds NUL characters. */
    String NUL_CHARACTERS = "NUL characters in the line: binary data, or text in UTF-16 (inputs are read as UTF-8); ";

    /** Every line gets exactly one verdict; blank lines are skipped before a format sees them. */
    default ParsedLine parse(String line) {
        if (line == null || line.isBlank()) {
            return ParsedLine.skipped("blank line");
        }
        ParsedLine parsed = parseRecord(line);
        // Looked for only in what is refused: every format's reason would otherwise blame the layout. Once: a parser
        // that hands the line on to another (auto-detection) passes through here twice.
        if (parsed.kind() == ParsedLine.Kind.REJECTED
                && line.indexOf('\u0000') >= 0
                && !parsed.reason().startsWith(NUL_CHARACTERS)) {
            return ParsedLine.rejected(NUL_CHARACTERS + parsed.reason(), parsed.record());
        }
        return parsed;
    }

    /**
     * A line as it was read, in UTF-8 ({@code \r\n} cut to its text), with the same verdict as {@link
     * #parse(String)} on its text. A format whose parser reads bytes faster than text overrides this; files and
     * Kafka records arrive as bytes, and decoding every line only for that parser to read it again cost a fifth of
     * parsing.
     */
    default ParsedLine parse(byte[] utf8, int length) {
        return parse(new String(utf8, 0, length, StandardCharsets.UTF_8));
    }

    /** A line that is not blank. */
    ParsedLine parseRecord(String line);

    /**
     * Whether the stream's rows cannot be read yet for want of a header the stream carries (Zeek TSV's {@code
     * #fields}): a stream read from its middle, as a Kafka partition is after a restart, has it further back.
     */
    default boolean awaitsHeader() {
        return false;
    }

    /** The id of the format this parser found the stream to be in, where it had to find out; null otherwise. */
    default String recognisedFormat() {
        return null;
    }
}
