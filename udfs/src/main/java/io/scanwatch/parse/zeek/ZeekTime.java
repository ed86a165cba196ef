package io.scanwatch.parse.zeek;

import io.scanwatch.parse.FieldValues;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/** Zeek's {@code ts}: epoch seconds with a fraction, or ISO-8601 where the sensor writes {@code JSON::TS_ISO8601}. */
final class ZeekTime {
    /** Seconds of at most 15 digits: their milliseconds fit a long. */
    private static final int WHOLE_DIGITS = 15;

    private static final int LONGEST_NUMBER = 64;
    private static final BigDecimal FARTHEST = BigDecimal.TEN.pow(WHOLE_DIGITS);
    private static final BigDecimal NEAREST = new BigDecimal("0.001");

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
        // Any other number (a sign, an exponent, leading zeros), as exactly; one far from any time, or written at
        // a length no sensor writes, is not worked out to the millisecond (an exponent of millions would take long).
        if (ts.length() > LONGEST_NUMBER) {
            throw new NumberFormatException(ts);
        }
        BigDecimal seconds = new BigDecimal(ts);
        if (seconds.abs().compareTo(FARTHEST) > 0 || seconds.abs().compareTo(NEAREST) < 0) {
            return -1;
        }
        return seconds.movePointRight(3).setScale(0, RoundingMode.FLOOR).longValueExact();
    }

    /**
     * Zeek's own form (digits, then a dot and decimals) in whole numbers, without a general parser, which took 7 % of
     * a record's parsing, and without a double, whose product by a thousand may fall a hair short of a whole
     * millisecond written in full: the seconds, and the first three decimals; the others only have to be digits.
     *
     * @return {@link Long#MIN_VALUE} for any other form
     */
    static long plainMillis(String ts) {
        int length = ts.length();
        int dot = ts.indexOf('.');
        int end = dot < 0 ? length : dot;
        if (end == 0 || end > WHOLE_DIGITS || dot == length - 1) {
            return Long.MIN_VALUE;
        }
        long millis = 0;
        for (int i = 0; i < end; i++) {
            char c = ts.charAt(i);
            if (c < '0' || c > '9') {
                return Long.MIN_VALUE;
            }
            millis = millis * 10 + (c - '0');
        }
        for (int i = end + 1; i < end + 4; i++) {
            char c = i < length ? ts.charAt(i) : '0';
            if (c < '0' || c > '9') {
                return Long.MIN_VALUE;
            }
            millis = millis * 10 + (c - '0');
        }
        for (int i = end + 4; i < length; i++) {
            char c = ts.charAt(i);
            if (c < '0' || c > '9') {
                return Long.MIN_VALUE;
            }
        }
        return millis;
    }
}
