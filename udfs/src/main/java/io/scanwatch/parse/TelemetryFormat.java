package io.scanwatch.parse;

import io.scanwatch.parse.zeek.ZeekConnParser;
import java.util.Arrays;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/** The telemetry formats scanwatch reads, by the names used on the command line and in Kafka topic settings. */
public enum TelemetryFormat {
    /** Zeek conn.log, JSON lines or TSV with its {@code #fields} header. */
    ZEEK_CONN("zeek-conn", ZeekConnParser::new);

    private final String id;
    private final Supplier<LineParser> parsers;

    TelemetryFormat(String id, Supplier<LineParser> parsers) {
        this.id = id;
        this.parsers = parsers;
    }

    public String id() {
        return id;
    }

    /** A fresh parser for one stream of this format. */
    public LineParser newParser() {
        return parsers.get();
    }

    public static TelemetryFormat byId(String id) {
        for (TelemetryFormat format : values()) {
            if (format.id.equals(id)) {
                return format;
            }
        }
        throw new IllegalArgumentException("unknown telemetry format '" + id + "'; known formats: "
                + Arrays.stream(values()).map(TelemetryFormat::id).collect(Collectors.joining(", ")));
    }
}
