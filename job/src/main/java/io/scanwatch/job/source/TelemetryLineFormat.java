package io.scanwatch.job.source;

import io.scanwatch.parse.LineParser;
import io.scanwatch.parse.ParseOptions;
import io.scanwatch.parse.ParsedLine;
import io.scanwatch.parse.catalog.TelemetryFormat;
import java.io.IOException;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.file.src.reader.SimpleStreamFormat;
import org.apache.flink.connector.file.src.reader.StreamFormat;
import org.apache.flink.core.fs.FSDataInputStream;

/**
 * Reads one telemetry file line by line and parses each line. Not splittable: a Zeek TSV file is only readable
 * after its header, and on restore Flink re-reads the file from the start and skips what was emitted, so the
 * header is seen again.
 */
final class TelemetryLineFormat extends SimpleStreamFormat<TelemetryRecord> {
    private static final long serialVersionUID = 1L;
    static final int MAX_LINE_BYTES = 1 << 20;

    private final TelemetryFormat format;
    private final ParseOptions options;
    private final String fileLabel;
    private final String sensor;

    TelemetryLineFormat(TelemetryFormat format, ParseOptions options, String fileLabel, String sensor) {
        this.format = format;
        this.options = options;
        this.fileLabel = fileLabel;
        this.sensor = sensor;
    }

    @Override
    public StreamFormat.Reader<TelemetryRecord> createReader(Configuration config, FSDataInputStream stream) {
        return new LineReader(new BoundedLineReader(stream, MAX_LINE_BYTES), format.newParser(options));
    }

    @Override
    public TypeInformation<TelemetryRecord> getProducedType() {
        return TypeInformation.of(TelemetryRecord.class);
    }

    private final class LineReader implements StreamFormat.Reader<TelemetryRecord>, RecordOrigin {
        private final BoundedLineReader lines;
        private final LineParser parser;
        private long lineNumber;
        private boolean broken;

        LineReader(BoundedLineReader lines, LineParser parser) {
            this.lines = lines;
            this.parser = parser;
        }

        @Override
        public TelemetryRecord read() {
            if (broken) {
                return null;
            }
            String line;
            try {
                line = lines.readLine();
            } catch (IOException e) {
                // A truncated gzip or a failing disk ends this file only: the other inputs keep their alerts.
                broken = true;
                return TelemetryRecord.brokenInput(format.id(), this, e);
            }
            if (line == null) {
                return null;
            }
            lineNumber++;
            ParsedLine parsed = lines.lastLineTruncated()
                    ? ParsedLine.rejected("line longer than " + MAX_LINE_BYTES + " bytes")
                    : parser.parse(line);
            String recognised = parser.recognisedFormat();
            String formatId = recognised != null ? recognised : format.id();
            return TelemetryRecord.of(parsed, formatId, sensor, this, line);
        }

        @Override
        public String describe() {
            return fileLabel + ":" + lineNumber;
        }

        @Override
        public void close() {}
    }
}
