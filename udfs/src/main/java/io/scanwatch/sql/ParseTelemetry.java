package io.scanwatch.sql;

import io.scanwatch.event.AuthEvent;
import io.scanwatch.event.ConnectionEvent;
import io.scanwatch.parse.LineParser;
import io.scanwatch.parse.ParseOptions;
import io.scanwatch.parse.ParsedLine;
import io.scanwatch.parse.catalog.TelemetryFormat;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.table.annotation.DataTypeHint;
import org.apache.flink.table.annotation.FunctionHint;
import org.apache.flink.table.functions.TableFunction;
import org.apache.flink.types.Row;

/**
 * {@code parse_telemetry(format, line)}: one telemetry line of a named format (the {@code --input} format ids) as
 * the normalised columns, one row for a connection or an authentication, none for a line that is skipped or
 * rejected. Lines of one format are parsed by one parser per function instance, so Zeek TSV headers carry over to
 * the rows after them, as in a file.
 */
@FunctionHint(
        output = @DataTypeHint("ROW<kind STRING, event_time TIMESTAMP_LTZ(3), source_ip STRING, source_port INT,"
                        + " destination_ip STRING, destination_port INT, transport STRING, outcome STRING, user_name STRING,"
                        + " success BOOLEAN, attempts INT>"))
public class ParseTelemetry extends TableFunction<Row> {
    private static final long serialVersionUID = 1L;

    private transient Map<String, LineParser> parsers;

    public void eval(String format, String line) {
        if (format == null || line == null) {
            return;
        }
        if (parsers == null) {
            parsers = new HashMap<>();
        }
        LineParser parser = parsers.computeIfAbsent(
                format, id -> TelemetryFormat.byId(id).newParser(new ParseOptions(ZoneOffset.UTC, 0, Instant.now())));
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
                    c.transport.name().toLowerCase(),
                    c.outcome.name().toLowerCase(),
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
