package io.scanwatch.job.config;

import io.scanwatch.parse.catalog.TelemetryFormat;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Time zones as users name them ({@code parsing.timezone}, an input's {@code @ZONE}, a topic's {@code timezone}):
 * whether a name reads, and if not, what was likely meant.
 */
public final class ZoneNames {
    private ZoneNames() {}

    /** An offset as people write it: {@code +1}, {@code 5:30}, {@code 0530}, {@code UTC+5:30}. */
    private static final Pattern OFFSET = Pattern.compile("(?:utc|gmt|ut)?([+-]?)(\\d{1,2})(?::?(\\d\\d))?");

    public static boolean reads(String zone) {
        try {
            ZoneId.of(zone);
            return true;
        } catch (DateTimeException e) {
            return false;
        }
    }

    /**
     * What is wrong with an input's own zone for its format, or null. A zone for a format whose times say their own
     * is refused rather than ignored: who gives one expects it to move that input's records.
     */
    public static String problem(String zone, TelemetryFormat format) {
        if (!reads(zone)) {
            return notAZone(zone);
        }
        if (!format.readsLocalTimes()) {
            return format.id() + " writes Unix time or an offset, so a zone changes none of its records; zones are for "
                    + Arrays.stream(TelemetryFormat.values())
                            .filter(TelemetryFormat::readsLocalTimes)
                            .map(TelemetryFormat::id)
                            .collect(Collectors.joining(", "));
        }
        return null;
    }

    static String notAZone(String zone) {
        return "'" + zone + "' is not a time zone (e.g. UTC, Europe/Prague, +01:00)" + meant(zone);
    }

    /** What a zone that does not read was likely meant to be, said as a suggestion; empty if nothing is. */
    private static String meant(String zone) {
        // By the whole name in any case (utc, europe/prague, America/NewYork), else by its place (new_york).
        Map<String, String> byName = new HashMap<>();
        Map<String, String> byPlace = new HashMap<>();
        Set<String> places = new HashSet<>();
        for (String id : ZoneId.getAvailableZoneIds()) {
            byName.put(id.toLowerCase(Locale.ROOT), id);
            String place = id.substring(id.lastIndexOf('/') + 1).toLowerCase(Locale.ROOT);
            if (id.indexOf('/') > 0 && places.add(place)) {
                byPlace.put(place, id);
            } else if (id.indexOf('/') > 0) {
                byPlace.remove(place); // a place of two zones (Indiana's and Kentucky's towns) is no hint
            }
        }
        String given = zone.strip().toLowerCase(Locale.ROOT).replace(' ', '_');
        String id = byName.get(given);
        if (id != null) {
            return ": did you mean " + id + "?" + (id.equalsIgnoreCase(zone) ? " (zones are named in their case)" : "");
        }
        if (given.matches("[a-z]{3,5}")) {
            // IST is India's, Ireland's or Israel's, BST British or Bangladeshi: no single suggestion is safe.
            return ": an abbreviation names no zone and may stand for several; name the place's (America/New_York,"
                    + " Europe/London, Asia/Kolkata) or an offset (-05:00)";
        }
        Matcher offset = OFFSET.matcher(given);
        if (offset.matches()) {
            // YAML reads an unquoted +1 as the number 1, and +01:00 as what it means only when quoted.
            String written = (offset.group(1).isEmpty() ? "+" : offset.group(1))
                    + (offset.group(2).length() == 1 ? "0" : "") + offset.group(2) + ":"
                    + (offset.group(3) == null ? "00" : offset.group(3));
            return reads(written)
                    ? ": did you mean " + written + "? (an offset has its sign, two digits of hours and its minutes;"
                            + " quoted in YAML)"
                    : ": an offset is written as +05:30, at most 18 hours";
        }
        String nearest = NearestKey.nearest(given, byName.keySet());
        id = nearest != null ? byName.get(nearest) : null;
        if (id == null && given.indexOf('/') < 0) {
            nearest = byPlace.containsKey(given) ? given : NearestKey.nearest(given, byPlace.keySet());
            id = nearest != null ? byPlace.get(nearest) : null;
        }
        return id != null ? ": did you mean " + id + "?" : "";
    }
}
