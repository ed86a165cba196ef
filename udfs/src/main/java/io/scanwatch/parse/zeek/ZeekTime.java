package io.scanwatch.parse.zeek;

import io.scanwatch.parse.FieldValues;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/** Zeek's {@code ts}: epoch seconds with a fraction, or ISO-8601 where the sensor writes {@code JSON::TS_ISO8601}. */
final class ZeekTime {
    /** Whole numbers up to 2^53 are doubles exactly. */
    private static final long EXACT = 1L << 53;

    private static final double[] POWERS_OF_TEN = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9};

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
        double seconds = plainSeconds(ts);
        if (Double.isNaN(seconds)) {
            seconds = Double.parseDouble(ts);
            if (Double.isNaN(seconds) || Double.isInfinite(seconds)) {
                throw new NumberFormatException(ts);
            }
        }
        return Math.round(seconds * 1000.0);
    }

    /**
     * Zeek's own form (digits, then a dot and decimals) without a general parser, which took 7 % of a record's
     * parsing: the digits as a whole number and the power of ten are both exact doubles, and a division rounds its
     * exact quotient to the nearest double, as {@link Double#parseDouble} rounds the decimal. Hence the same double.
     *
     * @return NaN for any other form
     */
    static double plainSeconds(String ts) {
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
                return Double.NaN;
            }
        }
        int decimals = dot < 0 ? 0 : length - dot - 1;
        if (count == 0 || digits > EXACT || decimals >= POWERS_OF_TEN.length || dot == length - 1) {
            return Double.NaN;
        }
        return digits / POWERS_OF_TEN[decimals];
    }
}
