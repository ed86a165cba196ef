package io.scanwatch.parse.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import io.scanwatch.parse.ParseOptions;
import io.scanwatch.parse.ParsedLine;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@link TelemetryFormat#readsLocalTimes} decides whether a job takes a time zone for an input: a zone given to a
 * format whose times say their own would be silently ignored, and one left out of a format that needs it would
 * put its records hours off.
 */
class TelemetryFormatTest {
    private static final Instant REFERENCE = Instant.parse("2026-03-02T12:00:00Z");

    /** NXLog's plain {@code EventTime} and a traditional syslog line: their samples carry an offset, these not. */
    private static final String WINDOWS_LOCAL = "{\"EventTime\":\"2026-03-02 05:25:00\",\"EventID\":4625,"
            + "\"Channel\":\"Security\",\"Hostname\":\"DC01\",\"TargetUserName\":\"admin\","
            + "\"IpAddress\":\"203.0.113.9\",\"IpPort\":\"50022\",\"LogonType\":\"3\",\"Status\":\"0xc000006d\"}";

    @ParameterizedTest
    @EnumSource(TelemetryFormat.class)
    void aZoneMovesTheTimesOfTheFormatsThatReadLocalTimesAndNoOthers(TelemetryFormat format) {
        String line = switch (format) {
            case WINDOWS_JSON -> WINDOWS_LOCAL;
            case SYSLOG -> ParserPropertiesTest.SAMPLES.get(TelemetryFormat.SSHD);
            default -> ParserPropertiesTest.SAMPLES.get(format);
        };
        long inUtc = timeOf(format, line, ZoneOffset.UTC);
        long inNewYork = timeOf(format, line, ZoneId.of("America/New_York"));
        if (format.readsLocalTimes()) {
            assertThat(inNewYork - inUtc).as(format.id()).isEqualTo(5 * 3_600_000L);
        } else {
            assertThat(inNewYork).as(format.id()).isEqualTo(inUtc);
        }
    }

    private static long timeOf(TelemetryFormat format, String line, ZoneId zone) {
        ParsedLine parsed = ParserPropertiesTest.parserWithPreamble(format, line, new ParseOptions(zone, 0, REFERENCE))
                .parse(line);
        return switch (parsed.kind()) {
            case CONNECTION -> parsed.connection().timestamp;
            case AUTHENTICATION -> parsed.authentication().timestamp;
            default -> throw new AssertionError(format.id() + ": " + parsed);
        };
    }
}
