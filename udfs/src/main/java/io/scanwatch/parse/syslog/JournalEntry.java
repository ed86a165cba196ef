package io.scanwatch.parse.syslog;

import io.scanwatch.parse.FieldValues;
import io.scanwatch.parse.json.FlatJson;
import java.util.Map;
import java.util.Set;

/**
 * An entry of systemd's journal as {@code journalctl -o json} prints it (one object a line), read as the syslog
 * line it stands for: a system without rsyslog (Debian 12 and later by default) keeps sshd's and the kernel's lines
 * only there.
 */
public final class JournalEntry {
    /** journald writes a message that is not plain text (a control character, bytes not UTF-8) as its bytes. */
    private static final Set<String> MESSAGE = Set.of("MESSAGE");

    private JournalEntry() {}

    /** Throws {@link IllegalArgumentException} saying what is wrong. */
    public static SyslogLine parse(String line) {
        Map<String, String> fields = FlatJson.parse(line, MESSAGE);
        String micros = fields.get("__REALTIME_TIMESTAMP");
        if (micros == null) {
            throw new IllegalArgumentException("no __REALTIME_TIMESTAMP: not an entry as journalctl -o json prints it");
        }
        long timestamp;
        try {
            timestamp = Long.parseLong(micros) / 1000;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("__REALTIME_TIMESTAMP is not microseconds since 1970: '" + micros + "'");
        }
        FieldValues.plausibleTime("__REALTIME_TIMESTAMP", timestamp, micros);
        String program = fields.getOrDefault("SYSLOG_IDENTIFIER", fields.get("_COMM"));
        String host = fields.get("_HOSTNAME");
        // No message: journalctl leaves out a field longer than 4,096 bytes unless run with --all.
        String message = fields.get("MESSAGE");
        return new SyslogLine(
                timestamp,
                host == null || host.isEmpty() ? null : host,
                program == null ? "" : program,
                message == null ? "" : message);
    }
}
