package io.scanwatch.parse.syslog;

import io.scanwatch.parse.FieldValues;
import io.scanwatch.parse.LocalClock;
import io.scanwatch.parse.ParseOptions;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.Month;
import java.time.OffsetDateTime;
import java.time.Year;
import java.time.format.DateTimeParseException;

/**
 * The header of a syslog line as log files hold it: a traditional timestamp ({@code Dec 10 06:55:46}) or an
 * RFC 3339 one (rsyslog's file format), the host, and the tag ({@code sshd[24200]:} or {@code kernel:}).
 */
public final class SyslogLine {
    /** Why a line in RFC 5424's layout is refused, whatever the format given or recognised. */
    public static final String RFC_5424_REASON = "RFC 5424 syslog (<PRI>1 ...) is not read: write the lines as a"
            + " syslog file holds them (rsyslog's RSYSLOG_FileFormat)";

    private static final String[] MONTHS = {
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"
    };

    public final long timestamp;
    public final String host;
    /** The program name without its pid, e.g. {@code sshd}. */
    public final String program;

    public final String message;

    SyslogLine(long timestamp, String host, String program, String message) {
        this.timestamp = timestamp;
        this.host = host;
        this.program = program;
        this.message = message;
    }

    /**
     * Parses the header, a traditional timestamp on the stream's {@code clock}; throws {@link
     * IllegalArgumentException} saying what is wrong.
     */
    public static SyslogLine parse(String text, ParseOptions options, LocalClock clock) {
        String line = withoutPriority(text);
        int hostStart;
        long timestamp;
        if (line.length() > 16 && Character.isLetter(line.charAt(0)) && line.charAt(3) == ' ') {
            timestamp = traditional(line.substring(0, 15), options, clock);
            hostStart = 16;
        } else {
            int space = line.indexOf(' ');
            if (space < 0) {
                throw new IllegalArgumentException("no syslog timestamp");
            }
            String stamp = line.substring(0, space);
            timestamp = iso(stamp, clock);
            hostStart = space + 1;
        }
        FieldValues.plausibleTime("syslog timestamp", timestamp, line.substring(0, Math.min(hostStart, line.length())));
        int hostEnd = line.indexOf(' ', hostStart);
        if (hostEnd < 0) {
            throw new IllegalArgumentException("no host and tag after the timestamp");
        }
        int tagEnd = line.indexOf(": ", hostEnd + 1);
        if (tagEnd < 0) {
            throw new IllegalArgumentException("no tag (such as 'sshd[123]:') after the host");
        }
        String tag = line.substring(hostEnd + 1, tagEnd);
        int bracket = tag.indexOf('[');
        String program = bracket < 0 ? tag : tag.substring(0, bracket);
        return new SyslogLine(
                timestamp,
                line.substring(hostStart, hostEnd),
                // A daemon started by its path (/usr/sbin/sshd -D) is tagged with it.
                program.substring(program.lastIndexOf('/') + 1),
                line.substring(tagEnd + 2));
    }

    /**
     * The line without the {@code <PRI>} that syslog's wire format starts with (what a relay or a topic keeps).
     * RFC 5424 ({@code <PRI>1 }) is another layout, refused by name.
     */
    private static String withoutPriority(String line) {
        int close = priorityEnd(line);
        if (close < 0) {
            return line;
        }
        if (line.startsWith("1 ", close + 1)) {
            throw new IllegalArgumentException(RFC_5424_REASON);
        }
        return line.substring(close + 1);
    }

    /** Whether the line starts as syslog in RFC 5424's layout does: {@code <PRI>1 }. */
    public static boolean isRfc5424(String line) {
        int close = priorityEnd(line);
        return close >= 0 && line.startsWith("1 ", close + 1);
    }

    /** Where a leading {@code <PRI>} (one to three digits) closes; -1 without one. */
    private static int priorityEnd(String line) {
        int close = line.startsWith("<") ? line.indexOf('>') : -1;
        return close < 2 || close > 4 || !line.substring(1, close).chars().allMatch(Character::isDigit) ? -1 : close;
    }

    /**
     * An RFC 3339 time, or an ISO time without an offset (a template writing local time), read as the stream's
     * traditional times are: in its zone.
     */
    private static long iso(String stamp, LocalClock clock) {
        try {
            long timestamp =
                    OffsetDateTime.parse(withColonInOffset(stamp)).toInstant().toEpochMilli();
            clock.saw(timestamp);
            return timestamp;
        } catch (DateTimeParseException withoutOffset) {
            try {
                return clock.epochMilli(LocalDateTime.parse(stamp));
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("no syslog timestamp: '" + stamp + "'");
            }
        }
    }

    /** {@code +0000} as {@code +00:00}: journalctl -o short-iso of systemd 252 (Debian 12) writes its offsets so. */
    private static String withColonInOffset(String stamp) {
        int sign = Math.max(stamp.lastIndexOf('+'), stamp.lastIndexOf('-'));
        boolean bare = sign == stamp.length() - 5
                && stamp.substring(sign + 1).chars().allMatch(Character::isDigit)
                && stamp.indexOf('T') >= 0
                && sign > stamp.indexOf('T');
        return bare ? stamp.substring(0, sign + 3) + ":" + stamp.substring(sign + 3) : stamp;
    }

    /** {@code MMM dd HH:mm:ss}, day padded with a space; the year from the options. */
    private static long traditional(String text, ParseOptions options, LocalClock clock) {
        int month = -1;
        for (int m = 0; m < 12; m++) {
            if (text.startsWith(MONTHS[m])) {
                month = m + 1;
            }
        }
        try {
            if (month < 0 || text.charAt(6) != ' ' || text.charAt(9) != ':' || text.charAt(12) != ':') {
                throw new NumberFormatException();
            }
            int day = Integer.parseInt(text.substring(4, 6).trim());
            int hour = Integer.parseInt(text.substring(7, 9));
            int minute = Integer.parseInt(text.substring(10, 12));
            int second = Integer.parseInt(text.substring(13, 15));
            if (day < 1 || day > Month.of(month).maxLength()) {
                throw new NumberFormatException();
            }
            if (options.year() != 0) {
                if (day > Month.of(month).length(Year.isLeap(options.year()))) {
                    throw new IllegalStateException("'" + text + "' is not a day of " + options.year()
                            + ", the syslog year configured (parsing.syslog-year)");
                }
                return clock.epochMilli(LocalDateTime.of(options.year(), month, day, hour, minute, second));
            }
            // The latest year that has the line's day and does not put it after the reference: a line written in
            // December and read in January is last year's, and 29 February exists only in leap years.
            Instant latest = options.reference().plusSeconds(86_400);
            // From the year of the latest time a line may have: on 31 December a sensor ahead of the file's clock
            // writes 1 January of the next.
            for (int year = latest.atZone(options.zone()).getYear(); ; year--) {
                if (day <= Month.of(month).length(Year.isLeap(year))) {
                    LocalDateTime local = LocalDateTime.of(year, month, day, hour, minute, second);
                    if (!local.atZone(options.zone()).toInstant().isAfter(latest)) {
                        return clock.epochMilli(local);
                    }
                }
            }
        } catch (IllegalStateException e) {
            throw new IllegalArgumentException(e.getMessage());
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("no syslog timestamp: '" + text + "'");
        }
    }
}
