package io.scanwatch.parse;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;

/**
 * Reads one stream's local times, those its sensor wrote without an offset, in the sensor's zone. Where summer time
 * ends, an hour of local times comes twice: a time of that hour is taken at the offset that puts it nearer the
 * stream's previous time, so that a log (or a scan) running through the change stays in order; java.time alone
 * would put every such time at the summer offset, the second hour's records an hour early. A time in the hour skipped
 * where summer time begins exists in no clock: it is moved on by the gap, as java.time does.
 */
public final class LocalClock {
    private final ZoneId zone;
    /** The zone's one offset where it has no transitions (UTC, the default): no overlap to look up per record. */
    private final ZoneOffset fixed;
    /** The instant of the stream's previous time; {@link Long#MIN_VALUE} before the first. */
    private long previous = Long.MIN_VALUE;

    public LocalClock(ZoneId zone) {
        this.zone = zone;
        this.fixed = zone.getRules().isFixedOffset() ? zone.getRules().getOffset(Instant.EPOCH) : null;
    }

    /** The instant of {@code local} in this stream, in milliseconds since the epoch. */
    public long epochMilli(LocalDateTime local) {
        if (fixed != null) {
            return local.toInstant(fixed).toEpochMilli();
        }
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

    /**
     * Notes the instant of a record of the stream whose time said its offset: NXLog writes a Sysmon event's UtcTime
     * beside its local EventTime, and a Security event's EventTime alone; the local times come nearer by them.
     */
    public void saw(long epochMilli) {
        previous = epochMilli;
    }
}
