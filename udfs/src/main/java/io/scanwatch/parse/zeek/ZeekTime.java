package io.scanwatch.parse.zeek;

import java.time.Instant;

/** Zeek's {@code ts}: epoch seconds with a fraction, or ISO-8601 where the sensor writes {@code JSON::TS_ISO8601}. */
final class ZeekTime {
    private ZeekTime() {}

    /** Epoch milliseconds; throws {@link NumberFormatException} or a {@code DateTimeParseException}. */
    static long parse(String ts) {
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
