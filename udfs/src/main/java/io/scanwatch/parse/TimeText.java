package io.scanwatch.parse;

import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;

/** The date-time texts sensors write, to epoch milliseconds. */
public final class TimeText {
    /** {@code 2021-06-06T17:34:31.140759+0200}, {@code ...+02:00} or {@code ...Z}: Suricata, ISO-8601. */
    private static final DateTimeFormatter WITH_OFFSET = new DateTimeFormatterBuilder()
            .appendPattern("uuuu-MM-dd'T'HH:mm:ss")
            .optionalStart()
            .appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true)
            .optionalEnd()
            .appendPattern("[XXX][XX][X]")
            .toFormatter();
    /** {@code 2018-01-12 15:37:30[.123]} or with a {@code T}: local time, as nfdump and NXLog write it. */
    private static final DateTimeFormatter LOCAL = new DateTimeFormatterBuilder()
            .appendPattern("uuuu-MM-dd")
            .optionalStart()
            .appendLiteral(' ')
            .optionalEnd()
            .optionalStart()
            .appendLiteral('T')
            .optionalEnd()
            .appendPattern("HH:mm:ss")
            .optionalStart()
            .appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true)
            .optionalEnd()
            .toFormatter();

    private TimeText() {}

    /** A date-time with its offset; throws {@link IllegalArgumentException} naming the field. */
    public static long withOffset(String field, String text) {
        try {
            return FieldValues.plausibleTime(
                    field, OffsetDateTime.parse(text, WITH_OFFSET).toInstant().toEpochMilli(), text);
        } catch (DateTimeParseException | NullPointerException e) {
            throw new IllegalArgumentException(field + " is not a time: '" + text + "'");
        }
    }

    /** A date-time without offset, on its stream's clock; throws {@link IllegalArgumentException} naming the field. */
    public static long local(String field, String text, LocalClock clock) {
        try {
            return FieldValues.plausibleTime(field, clock.epochMilli(LocalDateTime.parse(text.trim(), LOCAL)), text);
        } catch (DateTimeParseException | NullPointerException e) {
            throw new IllegalArgumentException(field + " is not a time: '" + text + "'");
        }
    }
}
