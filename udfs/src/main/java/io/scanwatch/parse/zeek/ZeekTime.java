package io.scanwatch.parse.zeek;

import io.scanwatch.parse.FieldValues;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/** Zeek's {@code ts}: epoch seconds with a fraction, or ISO-8601 where the sensor writes {@code JSON::TS_ISO8601}. */
final class ZeekTime {
    private static final long[] POWERS_OF_TEN = {
        1L, 10L, 100L, 1_000L, 10_000L, 100_000L, 1_000_000L, 10_000_000L, 100_000_000L, 1_000_000_000L
    };

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

    /**
     * Milliseconds cut, not rounded, as an ISO time's are: a probe at .702837 is at .702, so that an alert's start is
     * never after its first probe (a pivot on {@code ts >= event.start} finds it).
     */
    private static long parse(String ts) {
        char first = ts.charAt(0);
        if (ts.indexOf('T') > 0 && first >= '0' && first <= '9' && ts.indexOf('-') > 0) {
            return Instant.parse(ts).toEpochMilli();
        }
        long plain = plainMillis(ts);
        if (plain != Long.MIN_VALUE) {
            return plain;
        }
        double seconds = Double.parseDouble(ts);
        if (Double.isNaN(seconds) || Double.isInfinite(seconds)) {
            throw new NumberFormatException(ts);
        }
        return (long) Math.floor(seconds * 1000.0);
    }

    /**
     * Zeek's own form (digits, then a dot and decimals) in whole numbers, without a general parser, which took 7 % of
     * a record's parsing, and without a double, whose product by a thousand may fall a hair short of a whole
     * millisecond written in full.
     *
     * @return {@link Long#MIN_VALUE} for any other form
     */
    static long plainMillis(String ts) {
        int length = ts.length();
        long digits = 0;
        int count = 0;
        int dot = -1;
        for (int i = 0; i < length; i++) {
            char c = ts.charAt(i);
            if (c == '.' && dot < 0 && count > 0) {
                dot = i;
            } else if (c >= '0' && c <= '9' && count < 16) {
                digits = digits * 10 + (c - '0');
                count++;
            } else {
                return Long.MIN_VALUE;
            }
        }
        int decimals = dot < 0 ? 0 : length - dot - 1;
        if (count == 0
                || decimals >= POWERS_OF_TEN.length
                || dot == length - 1
                || decimals <= 3 && digits > Long.MAX_VALUE / POWERS_OF_TEN[3 - decimals]) {
            return Long.MIN_VALUE;
        }
        return decimals <= 3 ? digits * POWERS_OF_TEN[3 - decimals] : digits / POWERS_OF_TEN[decimals - 3];
    }
}
