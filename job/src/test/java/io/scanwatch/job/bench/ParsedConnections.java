package io.scanwatch.job.bench;

import io.scanwatch.event.ConnectionEvent;
import io.scanwatch.job.source.BoundedLineReader;
import io.scanwatch.parse.LineParser;
import io.scanwatch.parse.ParseOptions;
import io.scanwatch.parse.ParsedLine;
import io.scanwatch.parse.catalog.TelemetryFormat;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * The connections of a Zeek conn file, parsed on the calling thread as the job's readers parse them: lines found by
 * their reader, as UTF-8 bytes, never decoded. The parse-only rate and the one-thread peers read through it, so that the job is measured
 * against the fastest parsing it has, not a slower one.
 */
final class ParsedConnections {
    private ParsedConnections() {}

    /** @return the connections handed to {@code each} */
    static long forEach(Path file, Consumer<ConnectionEvent> each) throws IOException {
        return forEach(file, false, each);
    }

    /**
     * The same, each line decoded and parsed as text, where Jackson reads every Zeek line with the job's checks: the
     * job's parsing before #11. Not #11's parse-only rate ("Jackson streaming parse into a connection record"): a lean
     * Jackson parse of the bytes, without the job's checks, runs about as fast as {@link #forEach}.
     */
    static long forEachAsText(Path file, Consumer<ConnectionEvent> each) throws IOException {
        return forEach(file, true, each);
    }

    private static long forEach(Path file, boolean asText, Consumer<ConnectionEvent> each) throws IOException {
        LineParser parser = TelemetryFormat.ZEEK_CONN.newParser(ParseOptions.utcNow());
        long connections = 0;
        try (InputStream in = Files.newInputStream(file)) {
            BoundedLineReader lines = BoundedLineReader.ofTelemetry(in);
            while (lines.next()) {
                ParsedLine parsed = asText
                        ? parser.parse(new String(lines.bytes(), 0, lines.length(), StandardCharsets.UTF_8))
                        : parser.parse(lines.bytes(), lines.length());
                if (parsed.kind() == ParsedLine.Kind.CONNECTION) {
                    connections++;
                    each.accept(parsed.connection());
                }
            }
        }
        return connections;
    }
}
