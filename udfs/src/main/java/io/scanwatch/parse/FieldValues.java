package io.scanwatch.parse;

import io.scanwatch.net.IpAddress;
import io.scanwatch.text.WellFormedText;

/**
 * Checks the values every format carries the same way. Each method throws {@link IllegalArgumentException} whose
 * message names the field and quotes the value, which is the reason a dead letter gives.
 */
public final class FieldValues {
    /** Longer than any system's account names (Windows 256, Linux 32). */
    public static final int MAX_ACCOUNT_CHARS = 256;

    private FieldValues() {}

    /** A required address, in canonical form (the same string when it already is). */
    public static String ip(String field, String value) {
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException("missing " + field);
        }
        String canonical = IpAddress.tryCanonical(value);
        if (canonical == null) {
            throw new IllegalArgumentException(field + " is not an IP address: '" + value + "'");
        }
        return canonical;
    }

    /**
     * An account name as a logon record names it, null when it names none. A guess may send any name (sshd logs an
     * invalid user's name as sent): past {@link #MAX_ACCOUNT_CHARS} it is cut, so that one forged line cannot put a
     * megabyte into state and alerts.
     */
    public static String account(String value, String none) {
        return value == null || value.isEmpty() || value.equals(none)
                ? null
                : WellFormedText.prefix(value, MAX_ACCOUNT_CHARS);
    }

    /** A port 0-65535, or -1 when absent. */
    public static int port(String field, String value) {
        return (int) number(field, value, 65535, "a port");
    }

    /** A non-negative count, or -1 when absent. */
    public static long count(String field, String value) {
        return number(field, value, Long.MAX_VALUE, "a count");
    }

    /** An event time that passes {@link EventTimeBounds}. */
    public static long plausibleTime(String field, long epochMillis, String text) {
        if (!EventTimeBounds.plausible(epochMillis)) {
            // An exporter set to epoch milliseconds writes a thousand times the seconds of a field such as Zeek's ts.
            String hint = EventTimeBounds.plausible(epochMillis / 1000)
                    ? " (a thousandth of it would be plausible: written in a unit a thousand times finer than the"
                            + " field's, milliseconds for seconds?)"
                    : "";
            throw new IllegalArgumentException(
                    field + " out of the plausible range (1995 to 2099): '" + text + "'" + hint);
        }
        return epochMillis;
    }

    private static long number(String field, String value, long max, String what) {
        if (value == null || value.isEmpty()) {
            return -1;
        }
        try {
            long number = Long.parseLong(value);
            if (number >= 0 && number <= max) {
                return number;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(field + " is not " + what + ": '" + value + "'");
    }
}
