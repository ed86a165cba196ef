package io.scanwatch.parse.sshd;

import io.scanwatch.event.AuthEvent;
import io.scanwatch.net.IpAddress;
import io.scanwatch.parse.FieldValues;
import io.scanwatch.parse.ParseOptions;
import io.scanwatch.parse.ParsedLine;
import io.scanwatch.parse.syslog.SyslogLine;
import io.scanwatch.parse.syslog.SyslogProgramParser;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * OpenSSH's authentication log lines. One guess often shows on several lines (PAM's "authentication failure",
 * "Invalid user", then "Failed password for invalid user"): lines that are a guess carry {@code attempts = 1}
 * (or the count of a "message repeated" line), lines that only add context carry {@code attempts = 0}, so that
 * summing attempts counts each guess once while no line type is dropped.
 */
public final class SshdLogParser extends SyslogProgramParser {
    static final String FORMAT = "sshd";
    private static final Set<String> PROGRAMS = Set.of("sshd", "sshd-session", "sshd-auth");

    /*
     * The account name is the guesser's to choose, spaces included, and stands before the address: "Failed password
     * for invalid user x from 10.0.0.1 port 22 from 203.0.113.9 port 4711 ssh2" was a guess from 203.0.113.9. The
     * name's group is greedy, so that the address read is the last one, which sshd wrote; PAM writes the address
     * before the account, so there the first is read.
     */
    private static final Pattern FAILED = Pattern.compile(
            "(?:message repeated (\\d+) times: \\[ )?Failed (\\S+) for (invalid user )?(.*) from (\\S+) port (\\d+)");
    private static final Pattern ACCEPTED = Pattern.compile("Accepted (\\S+) for (.*) from (\\S+) port (\\d+)");
    private static final Pattern INVALID_USER = Pattern.compile("Invalid user (.*) from (\\S+)(?: port (\\d+))?");
    private static final Pattern PAM_FAILURE =
            Pattern.compile("pam_unix\\(sshd:auth\\): authentication failure;.*? rhost=(\\S*)(?:\\s+user=(\\S+))?");
    private static final Pattern MAX_ATTEMPTS = Pattern.compile(
            "(?:error: )?maximum authentication attempts exceeded for (invalid user )?(.*) from (\\S+) port (\\d+)");

    public SshdLogParser(ParseOptions options) {
        super(options);
    }

    /**
     * Whether sshd wrote the line. OpenSSH 9.8 moved each connection's work into {@code sshd-session}, and 10.0 the
     * authentication into {@code sshd-auth}: their lines carry those names.
     */
    public static boolean wrote(SyslogLine syslog) {
        return PROGRAMS.contains(syslog.program);
    }

    @Override
    public ParsedLine parse(SyslogLine syslog) {
        return wrote(syslog) ? message(syslog) : ParsedLine.skipped("not an sshd line");
    }

    /** The count of a "message repeated N times" line; 1 for a line of its own. */
    private static int repeated(String count) {
        if (count == null) {
            return 1;
        }
        try {
            return Integer.parseInt(count);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'message repeated " + count + " times': too many to be a count");
        }
    }

    private ParsedLine message(SyslogLine syslog) {
        String message = syslog.message;
        Matcher m;
        if ((m = FAILED.matcher(message)).lookingAt()) {
            boolean methodProbe = m.group(2).equals("none");
            int attempts = methodProbe ? 0 : repeated(m.group(1));
            String detail = (m.group(3) != null ? "invalid user, " : "") + "failed " + m.group(2);
            return event(syslog, m.group(5), m.group(6), m.group(4), false, attempts, detail);
        }
        if ((m = ACCEPTED.matcher(message)).lookingAt()) {
            return event(syslog, m.group(3), m.group(4), m.group(2), true, 1, "accepted " + m.group(1));
        }
        if ((m = INVALID_USER.matcher(message)).lookingAt()) {
            return event(syslog, m.group(2), m.group(3), m.group(1), false, 0, "invalid user");
        }
        if ((m = MAX_ATTEMPTS.matcher(message)).lookingAt()) {
            return event(
                    syslog,
                    m.group(3),
                    m.group(4),
                    m.group(2),
                    false,
                    0,
                    (m.group(1) != null ? "invalid user, " : "") + "maximum authentication attempts exceeded");
        }
        if ((m = PAM_FAILURE.matcher(message)).lookingAt()) {
            if (IpAddress.tryParse(m.group(1)) == null) {
                return ParsedLine.skipped("PAM failure without a source address");
            }
            return event(syslog, m.group(1), null, m.group(2), false, 0, "pam authentication failure");
        }
        return ParsedLine.skipped("sshd message not about authentication");
    }

    private static ParsedLine event(
            SyslogLine syslog, String source, String port, String user, boolean success, int attempts, String detail) {
        AuthEvent event = new AuthEvent();
        event.format = FORMAT;
        event.timestamp = syslog.timestamp;
        event.sourceIp = FieldValues.ip("source address", source);
        event.sourcePort = FieldValues.port("source port", port);
        event.targetHost = syslog.host;
        event.service = "ssh";
        event.user = FieldValues.account(user, "");
        event.success = success;
        event.attempts = attempts;
        event.detail = detail;
        return ParsedLine.authentication(event);
    }
}
