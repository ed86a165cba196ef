package io.scanwatch.parse;

import java.io.Serializable;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * What some formats leave out and a parser must be told: traditional syslog lines carry neither year nor zone.
 *
 * @param zone the sensors' clock zone, for timestamps without an offset
 * @param year the year of syslog timestamps, or 0 to infer it from {@code reference}
 * @param reference a time no record of the stream is after (a file's modification time, or now): a month-day
 *     timestamp gets the latest year that does not put it after this, so a log across New Year reads right
 */
public record ParseOptions(ZoneId zone, int year, Instant reference) implements Serializable {
    /** A clock for one stream's times without an offset ({@link LocalClock}): a parser of a stream keeps one. */
    public LocalClock clock() {
        return new LocalClock(zone);
    }

    public static ParseOptions utcNow() {
        return new ParseOptions(ZoneOffset.UTC, 0, Instant.now());
    }

    /**
     * The reference a file gives: its modification time, unless no record can be that late or that early: a time
     * after {@code now} (a clock set wrong, a copy that kept a future time) would put a year's lines in the future,
     * and one before any plausible record (a file touched to the epoch) would put them out of range; then now.
     */
    public static Instant referenceOf(Instant modified, Instant now) {
        return modified.isAfter(now) || modified.toEpochMilli() < EventTimeBounds.EARLIEST_MILLIS ? now : modified;
    }
}
