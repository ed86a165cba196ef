package io.scanwatch.job.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import java.io.IOException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import org.apache.flink.util.TimeUtils;

/** Durations as people write them in configuration: {@code 250ms}, {@code 30s}, {@code 5m}, {@code 1h}, {@code 1d}. */
final class DurationText extends StdScalarDeserializer<Duration> {

    DurationText() {
        super(Duration.class);
    }

    /** Nothing scanwatch times (windows, slides, delays, periods) needs more; a longer one is surely a typo. */
    static final Duration LONGEST = Duration.ofDays(366);

    static Duration parse(String text) {
        Duration duration;
        try {
            duration = parseAny(text);
        } catch (ArithmeticException e) {
            duration = LONGEST.plusDays(1);
        }
        if (duration.compareTo(LONGEST) > 0) {
            throw new IllegalArgumentException("'" + text + "' is longer than a year");
        }
        return duration;
    }

    /** Flink's own duration syntax ({@code 250ms}, {@code 30 s}, {@code 5 min}, {@code 1h}), or ISO-8601. */
    private static Duration parseAny(String text) {
        String t = text.trim();
        if (t.matches("[0-9]+") && !t.matches("0+")) {
            // Flink would read a bare number as milliseconds: a window of "5" is surely not 5 ms.
            throw new IllegalArgumentException(
                    "'" + text + "' has no unit (write e.g. " + t + "s, " + t + "m or " + t + "ms)");
        }
        try {
            return TimeUtils.parseDuration(t);
        } catch (IllegalArgumentException | NullPointerException e) {
            try {
                return Duration.parse(t);
            } catch (DateTimeParseException iso) {
                throw new IllegalArgumentException("'" + text + "' is not a duration (use e.g. 30s, 5m, 1h)");
            }
        }
    }

    @Override
    public Duration deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
        if (!p.currentToken().isScalarValue()) {
            return (Duration) ctxt.handleUnexpectedToken(Duration.class, p);
        }
        try {
            return parse(p.getValueAsString());
        } catch (IllegalArgumentException e) {
            return (Duration) ctxt.handleWeirdStringValue(Duration.class, p.getValueAsString(), e.getMessage());
        }
    }
}
