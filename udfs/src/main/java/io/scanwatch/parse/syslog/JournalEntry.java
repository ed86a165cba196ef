package io.scanwatch.parse.syslog;

import io.scanwatch.parse.FieldValues;
import io.scanwatch.parse.json.FlatJson;
import java.util.Map;

/**
 * An entry of systemd's journal as {@code journalctl -o json} prints it (one object a line), read as the syslog
 * line it stands for: a system without rsyslog (Debian 12 and later by default) keeps sshd's and the kernel's lines
 * only there.
 */
public final class JournalEntry {
    private JournalEntry() {}

    /** Throws {@link IllegalArgumentException} saying what is wrong. */
    public static SyslogLine parse(String line) {
        Map<String, String> fields = FlatJson.parse(line);
        String micros = fields.get("__REALTIME_TIMESTAMP");
        long timestamp;
        try {
            timestamp = Long.parseLong(micros) / 1000;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("__REALTIME_TIMESTAMP is not microseconds since 1970: '" + micros + "'");
        }
        FieldValues.plausibleTime("__REALTIME_TIMESTAMP", timestamp, micros);
        String program = fields.getOrDefault("SYSLOG_IDENTIFIER", fields.get("_COMM"));
        // journald writes a message that is not text as an array of bytes, which no rule reads.
        String message = fields.get("MESSAGE");
        return new SyslogLine(
                timestamp,
                fields.getOrDefault("_HOSTNAME", ""),
                program == null ? "" : program,
                message == null ? "" : message);
    }
}
