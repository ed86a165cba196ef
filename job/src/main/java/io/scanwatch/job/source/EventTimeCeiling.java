package io.scanwatch.job.source;

import io.scanwatch.job.config.ConfigChecks;
import io.scanwatch.parse.ParsedLine;
import io.scanwatch.parse.catalog.TelemetryFormat;
import java.io.Serializable;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;

/**
 * The latest event time a record can honestly carry: this machine's clock and {@code event-time.max-ahead-of-clock}.
 * A record stamped later comes from a sensor whose clock or time zone is wrong, and let through it would push its
 * stream's watermark ahead (a Kafka partition's, or a file's in a {@code --streaming} replay), making every record
 * after it late. A file's time of last write would be tighter, but it lies too often: an archive unpacked in
 * another time zone, or a build that sets every file to the epoch, made whole files dead letters.
 */
final class EventTimeCeiling implements Serializable {
    private static final long serialVersionUID = 1L;

    private final Duration ahead;
    private final long aheadMillis;
    /** The zone the stream's times without one are read in; null where its format writes none such. */
    private final ZoneId readIn;

    EventTimeCeiling(Duration ahead, TelemetryFormat format, ZoneId zone) {
        this.ahead = ahead;
        this.aheadMillis = ahead.toMillis();
        this.readIn = format.readsLocalTimes() ? zone : null;
    }

    /** {@code parsed}, or a dead letter saying why when its event time is past the ceiling. */
    ParsedLine check(ParsedLine parsed) {
        long time = parsed.kind() == ParsedLine.Kind.CONNECTION
                ? parsed.connection().timestamp
                : parsed.kind() == ParsedLine.Kind.AUTHENTICATION ? parsed.authentication().timestamp : Long.MIN_VALUE;
        // Asked of every record: the clock's millisecond, not an Instant.
        if (time <= System.currentTimeMillis() + aheadMillis) {
            return parsed;
        }
        return ParsedLine.rejected("event time " + Instant.ofEpochMilli(time) + " is more than "
                + ConfigChecks.text(ahead) + " ahead of this machine's clock (event-time.max-ahead-of-clock): the"
                + " sensor's clock or time zone is wrong"
                + (readIn == null
                        ? ""
                        : " (this input's times without a zone are read in " + readIn + "; an input names its"
                                + " sensors' zone as --input FORMAT@ZONE=PATH or a topic's timezone, every input as"
                                + " parsing.timezone)"));
    }
}
