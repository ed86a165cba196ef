package io.scanwatch.job.bench;

import io.scanwatch.event.ConnectionEvent;
import io.scanwatch.parse.LineParser;
import io.scanwatch.parse.ParseOptions;
import io.scanwatch.parse.ParsedLine;
import io.scanwatch.parse.catalog.TelemetryFormat;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * The connections of a Zeek conn file, parsed on the calling thread as the job's readers parse them: lines as UTF-8
 * bytes, never decoded. The parse-only rate and the one-thread peers read through it, so that the job is measured
 * against the fastest parsing it has, not a slower one.
 */
final class ParsedConnections {
    private ParsedConnections() {}

    /** @return the connections handed to {@code each} */
    static long forEach(Path file, Consumer<ConnectionEvent> each) throws IOException {
        LineParser parser = TelemetryFormat.ZEEK_CONN.newParser(ParseOptions.utcNow());
        byte[] buffer = new byte[1 << 16];
        byte[] line = new byte[1 << 12];
        int length = 0;
        long connections = 0;
        try (InputStream in = Files.newInputStream(file)) {
            for (int read = in.read(buffer); read > 0; read = in.read(buffer)) {
                for (int i = 0; i < read; i++) {
                    if (buffer[i] != '\n') {
                        if (length == line.length) {
                            line = Arrays.copyOf(line, length * 2);
                        }
                        line[length++] = buffer[i];
                        continue;
                    }
                    ParsedLine parsed = parser.parse(line, length);
                    length = 0;
                    if (parsed.kind() == ParsedLine.Kind.CONNECTION) {
                        connections++;
                        each.accept(parsed.connection());
                    }
                }
            }
        }
        return connections;
    }
}
