package io.scanwatch.job.bench;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import org.apache.flink.util.TimeUtils;

/**
 * A bench's positional arguments, each checked before anything runs, so that a mistake ends the bench at once with
 * what to fix and the usage line, not minutes later inside a Flink job or as a bare {@link NumberFormatException}.
 */
final class BenchArguments {
    private final String usage;
    private final List<String> values;

    BenchArguments(String usage, int most, String... values) {
        this.usage = usage;
        this.values = List.of(values);
        if (values.length > most) {
            throw mistake("at most " + most + (most == 1 ? " argument" : " arguments") + ", not " + values.length + " ("
                    + String.join(" ", values) + ")");
        }
    }

    /**
     * The bench's options read by {@code reader}; on a mistake, the message and the usage line on standard error and
     * the process ends with status 2, as a command line's usage error does.
     */
    static <T> T read(String usage, int most, String[] args, Function<BenchArguments, T> reader) {
        try {
            return reader.apply(new BenchArguments(usage, most, args));
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            throw e; // not reached: exit does not return
        }
    }

    boolean given(int index) {
        return index < values.size();
    }

    /** The whole number at {@code index}, from {@code least} to {@code most}; {@code byDefault} when not given. */
    long number(int index, String name, long byDefault, long least, long most) {
        if (!given(index)) {
            return byDefault;
        }
        String value = values.get(index).replace("_", "").replace(",", "");
        long number;
        try {
            number = Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw mistake(name + " must be a whole number, not '" + values.get(index) + "'");
        }
        if (number < least || number > most) {
            throw mistake(String.format(Locale.ROOT, "%s must be from %,d to %,d, not %,d", name, least, most, number));
        }
        return number;
    }

    /** The word at {@code index}, which must be given. */
    String required(int index, String name) {
        if (!given(index)) {
            throw mistake(name + " must be given");
        }
        return values.get(index);
    }

    /** One of {@code choices} at {@code index}; {@code byDefault} when not given. */
    String choice(int index, String name, String byDefault, List<String> choices) {
        if (!given(index)) {
            return byDefault;
        }
        String value = values.get(index);
        if (!choices.contains(value)) {
            throw mistake(name + " must be one of " + String.join(", ", choices) + ", not '" + value + "'");
        }
        return value;
    }

    /**
     * The duration at {@code index} as written ({@code 5s}, {@code 500ms}, {@code PT5S}), for the job's configuration,
     * which takes the same, positive, at most a year and no bare number; {@code byDefault} when not given.
     */
    String duration(int index, String name, String byDefault) {
        if (!given(index)) {
            return byDefault;
        }
        String value = values.get(index);
        Duration duration = value.matches("[0-9]+") ? null : parseDuration(value);
        if (duration != null
                && !duration.isNegative()
                && !duration.isZero()
                && duration.compareTo(Duration.ofDays(366)) <= 0) {
            return value;
        }
        throw mistake(name + " must be a positive duration with its unit, at most a year, such as 5s or 500ms, not '"
                + value + "'");
    }

    /** Flink's syntax, or ISO-8601; null when neither. */
    private static Duration parseDuration(String value) {
        try {
            return TimeUtils.parseDuration(value);
        } catch (IllegalArgumentException e) {
            try {
                return Duration.parse(value);
            } catch (DateTimeParseException iso) {
                return null;
            }
        } catch (ArithmeticException e) {
            return null;
        }
    }

    IllegalArgumentException mistake(String what) {
        return new IllegalArgumentException(what + "\nusage: " + usage);
    }
}
