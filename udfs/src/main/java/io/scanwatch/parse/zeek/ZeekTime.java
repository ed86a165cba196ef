package io.scanwatch.parse.zeek;

import io.scanwatch.parse.FieldValues;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/** Zeek's {@code ts}: epoch seconds with a fraction, or ISO-8601 where the sensor writes {@code JSON::TS_ISO8601}. */
final class ZeekTime {
    private ZeekTime() {}

    /**
     * The record's event time, epoch milliseconds; throws {@link IllegalArgumentException} when the value is
     * missing, not a time, or outside {@link io.scanwatch.parse.EventTimeBounds}.
     */
    static long eventTime(String ts) {
        if (ts == null || ts.isEmpty()) {
            throw new IllegalArgumentException("missing ts");
        }
        long millis;
        try {
            millis = parse(ts);
        } catch (NumberFormatException | DateTimeParseException e) {
            throw new IllegalArgumentException("ts is not a time: '" + ts + "'");
        }
        return FieldValues.plausibleTime("ts", millis, ts);
    }

    private static long parse(String ts) {
        char first = ts.charAt(0);
        if (ts.indexOf('T') > 0 && first >= '0' && first <= '9' && ts.indexOf('-') > 0) {
            return Instant.parse(ts).toEpochMilli();
        }
        double seconds = Double.parseDouble(ts);
        if (Double.isNaN(seconds) || Double.isInfinite(seconds)) {
            throw new NumberFormatException(ts);
        }
        return Math.round(seconds * 1000.0);
    }
}
