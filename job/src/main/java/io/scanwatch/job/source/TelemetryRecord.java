package io.scanwatch.job.source;

import io.scanwatch.event.AuthEvent;
import io.scanwatch.event.ConnectionEvent;
import io.scanwatch.job.model.DeadLetter;
import io.scanwatch.parse.ParsedLine;

/**
 * What a telemetry source emits for every record it reads: a connection, an authentication, a skipped record or a
 * dead letter. Parsing happens in the source so that watermarks come from event time per file or Kafka partition.
 */
public class TelemetryRecord {
    public enum Kind {
        CONNECTION,
        AUTHENTICATION,
        SKIPPED,
        DEAD_LETTER,
        /** The input itself broke (a truncated gzip, an I/O error): a dead letter saying where, and the end of it. */
        BROKEN_INPUT
    }

    public Kind kind;
    public String format;
    public ConnectionEvent connection;
    public AuthEvent authentication;
    public DeadLetter deadLetter;
    /** Where a Kafka record was read: its partition and offset; -1 for files. */
    public int partition = -1;

    public long offset = -1;

    public TelemetryRecord() {}

    /** Wraps a parser's verdict on one record read at {@code origin}, stamping events with their sensor. */
    public static TelemetryRecord of(ParsedLine parsed, String format, String sensor, RecordOrigin origin, String raw) {
        TelemetryRecord record = new TelemetryRecord();
        record.format = format;
        switch (parsed.kind()) {
            case CONNECTION:
                record.kind = Kind.CONNECTION;
                record.connection = parsed.connection();
                record.connection.sensor = sensor;
                break;
            case AUTHENTICATION:
                record.kind = Kind.AUTHENTICATION;
                record.authentication = parsed.authentication();
                record.authentication.sensor = sensor;
                // Logons are few: their position is kept, to tell apart those of one second (sshd's stamps).
                record.authentication.origin = origin.describe();
                break;
            case SKIPPED:
                record.kind = Kind.SKIPPED;
                break;
            default:
                record.kind = Kind.DEAD_LETTER;
                record.deadLetter = DeadLetter.of(
                        format, parsed.reason(), origin.describe(), parsed.record() != null ? parsed.record() : raw);
        }
        return record;
    }

    /** The input broke off at {@code origin}: what was read before stands, the rest of it is lost. */
    public static TelemetryRecord brokenInput(String format, RecordOrigin origin, Exception cause) {
        return brokenInput(format, origin, "the input breaks off after this point, the rest is lost", cause);
    }

    /** A broken input that says what of it is lost. */
    public static TelemetryRecord brokenInput(String format, RecordOrigin origin, String lost, Exception cause) {
        return brokenInput(format, origin, lost + ": " + cause);
    }

    /** A file that is not text at all (compressed under a plain name, binary): nothing of it is read. */
    public static TelemetryRecord notText(String format, RecordOrigin origin, String what) {
        return brokenInput(format, origin, "nothing of it was read: " + what);
    }

    private static TelemetryRecord brokenInput(String format, RecordOrigin origin, String reason) {
        TelemetryRecord record = new TelemetryRecord();
        record.format = format;
        record.kind = Kind.BROKEN_INPUT;
        record.deadLetter = DeadLetter.of(format, reason, origin.describe(), "");
        return record;
    }

    /** Event time for watermarks; records without one do not move the watermark. */
    public long eventTime() {
        switch (kind) {
            case CONNECTION:
                return connection.timestamp;
            case AUTHENTICATION:
                return authentication.timestamp;
            default:
                return Long.MIN_VALUE;
        }
    }
}
