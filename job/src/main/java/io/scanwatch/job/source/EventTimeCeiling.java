package io.scanwatch.job.source;

import io.scanwatch.job.config.ConfigChecks;
import io.scanwatch.parse.ParsedLine;
import java.io.Serializable;
import java.time.Duration;
import java.time.Instant;

/**
 * The latest event time a stream's records can honestly carry: a record stamped later comes from a sensor whose clock
 * or time zone is wrong, and let through it would push its stream's watermark ahead, making every record after it
 * late. A Kafka record is measured against this machine's clock; a file's records against the time the file was last
 * written, which no record in it can be later than, and which keeps a replay deterministic.
 */
final class EventTimeCeiling implements Serializable {
    private static final long serialVersionUID = 1L;

    private final Duration ahead;
    /** The file's last write; null for the clock, read at each record. */
    private final Instant written;

    private EventTimeCeiling(Duration ahead, Instant written) {
        this.ahead = ahead;
        this.written = written;
    }

    static EventTimeCeiling ofClock(Duration ahead) {
        return new EventTimeCeiling(ahead, null);
    }

    static EventTimeCeiling ofFile(Instant written, Duration ahead) {
        return new EventTimeCeiling(ahead, written);
    }

    /** {@code parsed}, or a dead letter saying why when its event time is past the ceiling. */
    ParsedLine check(ParsedLine parsed) {
        long time = parsed.kind() == ParsedLine.Kind.CONNECTION
                ? parsed.connection().timestamp
                : parsed.kind() == ParsedLine.Kind.AUTHENTICATION ? parsed.authentication().timestamp : Long.MIN_VALUE;
        Instant latest = (written == null ? Instant.now() : written).plus(ahead);
        if (time <= latest.toEpochMilli()) {
            return parsed;
        }
        String measure = written == null
                ? " ahead of this machine's clock"
                : " after the file was last written (" + written + ")";
        return ParsedLine.rejected("event time " + Instant.ofEpochMilli(time) + " is more than "
                + ConfigChecks.text(ahead) + measure + " (event-time.max-ahead-of-clock): the sensor's clock or time"
                + " zone is wrong");
    }
}
