package io.scanwatch.job.config;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** An index name, fixed or with {@code {pattern}} parts filled from a time (UTC), e.g. {@code alerts-{yyyy.MM.dd}}. */
public final class SearchIndexName {
    private static final Pattern PART = Pattern.compile("\\{([^}]*)}");

    private SearchIndexName() {}

    /** Fails with what is wrong: an empty name, upper case, characters an index cannot have, a bad pattern. */
    public static void check(String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("must name an index, e.g. scanwatch-alerts-{yyyy.MM.dd}");
        }
        String example = of(name, 0);
        if (!example.equals(example.toLowerCase(java.util.Locale.ROOT)) || !example.matches("[a-z0-9][a-z0-9._+-]*")) {
            throw new IllegalArgumentException("'" + name + "' gives '" + example
                    + "': index names are lower case, without spaces or \\ / * ? \" < > | , #");
        }
    }

    public static String of(String name, long epochMillis) {
        Matcher part = PART.matcher(name);
        StringBuilder out = new StringBuilder();
        while (part.find()) {
            DateTimeFormatter format;
            try {
                format = DateTimeFormatter.ofPattern(part.group(1)).withZone(ZoneOffset.UTC);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(
                        "'{" + part.group(1) + "}' is not a date pattern (e.g. {yyyy.MM.dd}): " + e.getMessage());
            }
            part.appendReplacement(out, Matcher.quoteReplacement(format.format(Instant.ofEpochMilli(epochMillis))));
        }
        part.appendTail(out);
        return out.toString();
    }
}
