package io.scanwatch.parse;

import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;

/**
 * Reads one stream's local times, those its sensor wrote without an offset, in the sensor's zone. Where summer time
 * ends, an hour of local times comes twice: a time of that hour is taken at the offset that puts it nearer the
 * stream's previous local time, so that a log (or a scan) running through the change stays in order; java.time alone
 * would put every such time at the summer offset, the second hour's records an hour early. A time in the hour skipped
 * where summer time begins exists in no clock: it is moved on by the gap, as java.time does.
 */
public final class LocalClock {
    private final ZoneId zone;
    /** The instant of the stream's previous local time; {@link Long#MIN_VALUE} before the first. */
    private long previous = Long.MIN_VALUE;

    public LocalClock(ZoneId zone) {
        this.zone = zone;
    }

    public ZoneId zone() {
        return zone;
    }

    /** The instant of {@code local} in this stream, in milliseconds since the epoch. */
    public long epochMilli(LocalDateTime local) {
        ZonedDateTime earlier = local.atZone(zone);
        long at = earlier.toInstant().toEpochMilli();
        ZonedDateTime later = earlier.withLaterOffsetAtOverlap();
        if (previous != Long.MIN_VALUE && !later.equals(earlier)) {
            long second = later.toInstant().toEpochMilli();
            if (Math.abs(second - previous) < Math.abs(at - previous)) {
                at = second;
            }
        }
        previous = at;
        return at;
    }
}
