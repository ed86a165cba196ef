package io.scanwatch.sql;

import io.scanwatch.event.AuthEvent;
import io.scanwatch.event.ConnectionEvent;
import io.scanwatch.parse.LineParser;
import io.scanwatch.parse.ParseOptions;
import io.scanwatch.parse.ParsedLine;
import io.scanwatch.parse.catalog.TelemetryFormat;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.flink.table.annotation.DataTypeHint;
import org.apache.flink.table.annotation.FunctionHint;
import org.apache.flink.table.functions.TableFunction;
import org.apache.flink.types.Row;

/**
 * {@code parse_telemetry(format, line[, stream])}: one telemetry line of a named format (the {@code --input} format
 * ids, in any case) as the normalised columns, one row for a connection or an authentication, none for a line that
 * is skipped or rejected.
 *
 * <p>Some formats carry state from line to line, as a file does: Zeek TSV's {@code #fields} header, nfdump's JSON
 * objects over several lines, and {@code auto}, which recognises a stream's format from its first telling line. A
 * stream is the lines of one {@code stream} value (a file's path, from the filesystem connector's {@code file.path}
 * metadata), each stream parsed by a parser of its own, in the order its lines reach the function; without
 * {@code stream}, all the lines one function instance sees are one stream. So the lines must reach the function
 * unfiltered and in order: a {@code WHERE} on {@code line} that drops a TSV header drops every row after it.
 */
@FunctionHint(
        output = @DataTypeHint("ROW<kind STRING, event_time TIMESTAMP_LTZ(3), source_ip STRING, source_port INT,"
                        + " destination_ip STRING, destination_port INT, transport STRING, outcome STRING, user_name STRING,"
                        + " success BOOLEAN, attempts INT>"))
public class ParseTelemetry extends TableFunction<Row> {
    private static final long serialVersionUID = 1L;

    /**
     * Streams an instance keeps a parser for, the least recently read forgotten past it: a directory of many files
     * read one after another needs one at a time, and a parser holds little.
     */
    static final int MAX_STREAMS = 1024;

    private transient Map<List<String>, LineParser> parsers;

    public void eval(String format, String line) {
        eval(format, line, "");
    }

    public void eval(String format, String line, String stream) {
        if (format == null || line == null) {
            return;
        }
        if (parsers == null) {
            parsers = new RecentlyRead<>(MAX_STREAMS);
        }
        String id = format.trim().toLowerCase(Locale.ROOT);
        LineParser parser = parsers.computeIfAbsent(
                List.of(id, stream == null ? "" : stream),
                key -> TelemetryFormat.byId(id).newParser(ParseOptions.utcNow()));
        ParsedLine parsed = parser.parse(line);
        if (parsed.kind() == ParsedLine.Kind.CONNECTION) {
            ConnectionEvent c = parsed.connection();
            collect(Row.of(
                    "connection",
                    Instant.ofEpochMilli(c.timestamp),
                    c.sourceIp,
                    port(c.sourcePort),
                    c.destinationIp,
                    port(c.destinationPort),
                    c.transport.name().toLowerCase(Locale.ROOT),
                    c.outcome.name().toLowerCase(Locale.ROOT),
                    null,
                    null,
                    null));
        } else if (parsed.kind() == ParsedLine.Kind.AUTHENTICATION) {
            AuthEvent a = parsed.authentication();
            collect(Row.of(
                    "authentication",
                    Instant.ofEpochMilli(a.timestamp),
                    a.sourceIp,
                    port(a.sourcePort),
                    a.targetIp != null ? a.targetIp : a.targetHost,
                    port(a.targetPort),
                    null,
                    null,
                    a.user,
                    a.success,
                    a.attempts));
        }
    }

    private static Integer port(int port) {
        return port < 0 ? null : port;
    }
}
