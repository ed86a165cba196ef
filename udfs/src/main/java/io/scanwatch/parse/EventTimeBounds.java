package io.scanwatch.parse;

/**
 * The range of event times a parser accepts. A timestamp outside it is a broken record (a rewritten 1970 clock,
 * microseconds read as seconds), and letting it through would push the watermark and make everything else late.
 * Fixed bounds rather than the wall clock keep replays of old captures deterministic.
 */
public final class EventTimeBounds {
    /** 1995-01-01T00:00:00Z. */
    public static final long EARLIEST_MILLIS = 788_918_400_000L;
    /** 2100-01-01T00:00:00Z. */
    public static final long LATEST_MILLIS = 4_102_444_800_000L;

    private EventTimeBounds() {}

    public static boolean plausible(long epochMillis) {
        return epochMillis >= EARLIEST_MILLIS && epochMillis < LATEST_MILLIS;
    }
}
