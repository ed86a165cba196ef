package io.scanwatch.parse.zeek;

import io.scanwatch.event.AuthEvent;
import io.scanwatch.parse.FieldValues;
import io.scanwatch.parse.LineParser;
import io.scanwatch.parse.ParsedLine;

/**
 * Zeek ssh.log into authentication events: one per SSH session that tried to authenticate, with Zeek's count of
 * attempts and its verdict. Zeek sees no user names. Sessions that never tried (banner grabs) are skipped.
 */
public final class ZeekSshParser implements LineParser {
    static final String FORMAT = "zeek-ssh";

    private enum Column {
        TS("ts"),
        ORIG_H("id.orig_h"),
        ORIG_P("id.orig_p"),
        RESP_H("id.resp_h"),
        RESP_P("id.resp_p"),
        AUTH_SUCCESS("auth_success"),
        AUTH_ATTEMPTS("auth_attempts"),
        CLIENT("client"),
        PATH(ZeekTsvLayout.PATH);

        private final String name;

        Column(String name) {
            this.name = name;
        }

        static int slotOf(String name) {
            for (Column column : values()) {
                if (column.name.equals(name)) {
                    return column.ordinal();
                }
            }
            return -1;
        }
    }

    private final String[] values = new String[Column.values().length];
    private final ZeekLogReader reader = new ZeekLogReader(Column::slotOf);

    @Override
    public boolean awaitsHeader() {
        return reader.awaitsHeader();
    }

    @Override
    public ParsedLine parseRecord(String line) {
        if (ZeekLogReader.isHeader(line)) {
            return reader.header(line);
        }
        String problem = reader.read(line, values);
        if (problem != null) {
            return ParsedLine.rejected(problem);
        }
        try {
            return toEvent();
        } catch (IllegalArgumentException e) {
            return ParsedLine.rejected(e.getMessage());
        }
    }

    private ParsedLine toEvent() {
        ParsedLine otherLog = ZeekLogReader.otherLog(value(Column.PATH), "ssh");
        if (otherLog != null) {
            return otherLog;
        }
        long timestamp = ZeekTime.eventTime(value(Column.TS));
        String verdict = value(Column.AUTH_SUCCESS);
        long attempts = FieldValues.count("auth_attempts", value(Column.AUTH_ATTEMPTS));
        if (verdict == null && attempts <= 0) {
            return ParsedLine.skipped("no authentication attempted");
        }
        if (verdict != null
                && !verdict.equals("true")
                && !verdict.equals("false")
                && !verdict.equals("T")
                && !verdict.equals("F")) {
            return ParsedLine.rejected("auth_success is not a boolean: '" + verdict + "'");
        }
        AuthEvent event = new AuthEvent();
        event.format = FORMAT;
        event.timestamp = timestamp;
        event.sourceIp = FieldValues.ip("id.orig_h", value(Column.ORIG_H));
        event.sourcePort = FieldValues.port("id.orig_p", value(Column.ORIG_P));
        event.targetIp = FieldValues.ip("id.resp_h", value(Column.RESP_H));
        event.targetHost = event.targetIp;
        event.targetPort = FieldValues.port("id.resp_p", value(Column.RESP_P));
        event.service = "ssh";
        event.success = "true".equals(verdict) || "T".equals(verdict);
        event.attempts = (int) Math.min(Math.max(attempts, 1), Integer.MAX_VALUE);
        event.detail = value(Column.CLIENT);
        return ParsedLine.authentication(event);
    }

    private String value(Column column) {
        return values[column.ordinal()];
    }
}
