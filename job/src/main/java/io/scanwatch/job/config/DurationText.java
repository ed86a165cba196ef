package io.scanwatch.job.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import java.io.IOException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as people write them in configuration: {@code 250ms}, {@code 30s}, {@code 5m}, {@code 1h}, {@code 1d}. */
final class DurationText extends StdScalarDeserializer<Duration> {
    private static final Pattern SHORT = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");

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

    private static Duration parseAny(String text) {
        String t = text.trim();
        Matcher m = SHORT.matcher(t);
        if (m.matches()) {
            long n;
            try {
                n = Long.parseLong(m.group(1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + text + "' is longer than a year");
            }
            switch (m.group(2)) {
                case "ms":
                    return Duration.ofMillis(n);
                case "s":
                    return Duration.ofSeconds(n);
                case "m":
                    return Duration.ofMinutes(n);
                case "h":
                    return Duration.ofHours(n);
                default:
                    return Duration.ofDays(n);
            }
        }
        try {
            return Duration.parse(t);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("'" + text + "' is not a duration (use e.g. 30s, 5m, 1h)");
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
