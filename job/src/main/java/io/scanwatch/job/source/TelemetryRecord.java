package io.scanwatch.job.source;

import io.scanwatch.event.ConnectionEvent;
import io.scanwatch.parse.ParsedLine;

/**
 * What a telemetry source emits for every record it reads: an event, a skipped record or a dead letter. Parsing
 * happens in the source so that watermarks come from event time per file or Kafka partition.
 */
public class TelemetryRecord {
    public enum Kind {
        EVENT,
        SKIPPED,
        DEAD_LETTER
    }

    public Kind kind;
    public String format;
    public ConnectionEvent connection;
    public DeadLetter deadLetter;

    public TelemetryRecord() {}

    /** Wraps a parser's verdict on one record read at {@code origin}. */
    public static TelemetryRecord of(ParsedLine parsed, String format, String origin, String raw) {
        TelemetryRecord record = new TelemetryRecord();
        record.format = format;
        switch (parsed.kind()) {
            case EVENT:
                record.kind = Kind.EVENT;
                record.connection = parsed.connection();
                break;
            case SKIPPED:
                record.kind = Kind.SKIPPED;
                break;
            default:
                record.kind = Kind.DEAD_LETTER;
                record.deadLetter = DeadLetter.of(format, parsed.reason(), origin, raw);
        }
        return record;
    }

    /** Event time for watermarks; records without one do not move the watermark. */
    public long eventTime() {
        return kind == Kind.EVENT ? connection.timestamp : Long.MIN_VALUE;
    }
}
