package io.scanwatch.parse;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class GuardedParserTest {
    @Test
    void whatAParserThrowsBecomesTheRecordsVerdict() {
        LineParser throwing = GuardedParser.of(line -> {
            throw new StringIndexOutOfBoundsException("String index out of range: 0");
        });
        ParsedLine verdict = throwing.parse("{\"ts\":\"\"}");
        assertThat(verdict.kind()).isEqualTo(ParsedLine.Kind.REJECTED);
        assertThat(verdict.reason())
                .isEqualTo(
                        "parser failed on this record: StringIndexOutOfBoundsException: String index out of range: 0");
    }

    @Test
    void aStackOverflowCostsOneRecord() {
        LineParser recursing = GuardedParser.of(new LineParser() {
            @Override
            public ParsedLine parseRecord(String line) {
                return line.equals("deep") ? parseRecord(line) : ParsedLine.skipped("fine");
            }
        });
        assertThat(recursing.parse("deep").reason()).startsWith("parser failed on this record: StackOverflowError");
        assertThat(recursing.parse("next").kind()).isEqualTo(ParsedLine.Kind.SKIPPED);
    }

    /** Text in UTF-16 read as UTF-8 is refused by every format for its layout; the reason says what it is. */
    @Test
    void aRefusedLineWithNulCharactersSaysItMayBeUtf16() {
        LineParser refusing = GuardedParser.of(line -> ParsedLine.rejected("TSV row before any #fields header"));
        assertThat(refusing.parse("#\u0000f\u0000i\u0000e\u0000l\u0000d\u0000s").reason())
                .isEqualTo("NUL characters in the line: binary data, or text in UTF-16 (inputs are read as UTF-8);"
                        + " TSV row before any #fields header");
        assertThat(refusing.parse("plain").reason()).isEqualTo("TSV row before any #fields header");
    }

    @Test
    void blankLinesAndGoodRecordsPassThrough() {
        LineParser guarded = GuardedParser.of(line -> ParsedLine.skipped("header"));
        assertThat(guarded.parse(" ").reason()).isEqualTo("blank line");
        assertThat(guarded.parse("#x").reason()).isEqualTo("header");
    }
}
