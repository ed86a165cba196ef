package io.scanwatch.job.source;

import io.scanwatch.parse.LineParser;
import io.scanwatch.parse.ParseOptions;
import io.scanwatch.parse.ParsedLine;
import io.scanwatch.parse.catalog.TelemetryFormat;
import java.io.IOException;
import java.time.Duration;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.file.src.reader.StreamFormat;
import org.apache.flink.core.fs.FSDataInputStream;

/**
 * Reads a telemetry file line by line and parses each line. A file whose lines stand alone (JSON lines) may be read
 * in splits by several readers at once ({@link LineSplits}): a split owns the lines that start inside it, so it
 * skips the one it begins in the middle of and finishes the one that runs past its end. Other files are read whole:
 * a Zeek TSV file is only readable after its header. On restore Flink reads a split again from its start and skips
 * what was emitted.
 */
final class TelemetryLineFormat implements StreamFormat<TelemetryRecord> {
    private static final long serialVersionUID = 1L;
    static final int MAX_LINE_BYTES = 1 << 20;

    private final TelemetryFormat format;
    private final ParseOptions options;
    private final String fileLabel;
    private final String sensor;
    private final boolean splittable;
    private final EventTimeCeiling ceiling;

    /** @param maxAhead how far ahead of this machine's clock a record may be stamped ({@link EventTimeCeiling}) */
    TelemetryLineFormat(
            TelemetryFormat format,
            ParseOptions options,
            Duration maxAhead,
            String fileLabel,
            String sensor,
            boolean splittable) {
        this.format = format;
        this.options = options;
        this.ceiling = new EventTimeCeiling(maxAhead, format, options.zone());
        this.fileLabel = fileLabel;
        this.sensor = sensor;
        this.splittable = splittable;
    }

    @Override
    public StreamFormat.Reader<TelemetryRecord> createReader(
            Configuration config, FSDataInputStream stream, long fileLen, long splitEnd) throws IOException {
        long start = stream.getPos();
        long base = start;
        if (start > 0) {
            // The line that holds the byte before the split belongs to the split before.
            base = start - 1;
            stream.seek(base);
        }
        BoundedLineReader lines = BoundedLineReader.ofTelemetry(stream);
        if (start > 0) {
            lines.next();
        } else {
            lines.skipByteOrderMark();
        }
        // A file read whole ends where its lines end: for a compressed one, the split's length is the compressed
        // size, while the lines count decompressed bytes.
        return new LineReader(lines, format.newParser(options), base, start, splittable ? splitEnd : Long.MAX_VALUE);
    }

    @Override
    public StreamFormat.Reader<TelemetryRecord> restoreReader(
            Configuration config, FSDataInputStream stream, long restoredOffset, long fileLen, long splitEnd)
            throws IOException {
        // The readers never report an offset, so Flink restores through createReader and skips; never called.
        return createReader(config, stream, fileLen, splitEnd);
    }

    @Override
    public boolean isSplittable() {
        return splittable;
    }

    @Override
    public TypeInformation<TelemetryRecord> getProducedType() {
        return TypeInformation.of(TelemetryRecord.class);
    }

    /** Whether the line holds a NUL byte: binary data, whose CR bytes are no line ends. */
    private static boolean holdsNul(BoundedLineReader lines) {
        byte[] bytes = lines.bytes();
        for (int i = 0; i < lines.length(); i++) {
            if (bytes[i] == 0) {
                return true;
            }
        }
        return false;
    }

    private final class LineReader implements StreamFormat.Reader<TelemetryRecord>, RecordOrigin {
        private final BoundedLineReader lines;
        private final LineParser parser;
        private final long base;
        private final boolean fromStart;
        private final long end;
        private long lineNumber;
        private long lineStart;
        private boolean broken;

        LineReader(BoundedLineReader lines, LineParser parser, long base, long start, long end) {
            this.lines = lines;
            this.parser = parser;
            this.base = base;
            this.fromStart = start == 0;
            this.end = end;
        }

        @Override
        public TelemetryRecord read() {
            if (broken) {
                return null;
            }
            lineStart = base + lines.consumed();
            if (lineStart >= end) {
                return null;
            }
            try {
                if (!lines.next()) {
                    return null;
                }
            } catch (IOException e) {
                // A truncated gzip or a failing disk ends this file only: the other inputs keep their alerts.
                broken = true;
                return TelemetryRecord.brokenInput(format.id(), this, e);
            }
            lineNumber++;
            if (fromStart && lineNumber == 1) {
                String binary = BinaryStart.reason(lines.bytes(), lines.length());
                if (binary != null) {
                    // Not lines at all: said once, for the file, rather than as a dead letter for each "line".
                    broken = true;
                    return TelemetryRecord.notText(format.id(), this, binary);
                }
            }
            ParsedLine parsed;
            if (fromStart && lineNumber == 1 && lines.carriageReturnInside() && !holdsNul(lines)) {
                // A file whose lines end in CR alone reads as one line, which a parser may take for its first record:
                // the rest would vanish without a word. Looked for in the first line only, which costs nothing.
                parsed = ParsedLine.rejected("the first line holds carriage returns: this file's lines end with CR"
                        + " alone, and scanwatch reads lines ending with LF or CRLF (convert it: tr '\\r' '\\n')");
            } else if (lines.lastLineTruncated()) {
                parsed = ParsedLine.rejected("line longer than " + MAX_LINE_BYTES + " bytes");
            } else {
                parsed = ceiling.check(parser.parse(lines.bytes(), lines.length()));
            }
            String recognised = parser.recognisedFormat();
            String formatId = recognised != null ? recognised : format.id();
            // Only a dead letter keeps its line, so only its line is decoded.
            String raw = parsed.kind() == ParsedLine.Kind.REJECTED ? lines.text() : null;
            return TelemetryRecord.of(parsed, formatId, sensor, this, raw);
        }

        /** {@code file:line}; in a split after the first, where the line numbers are unknown, {@code file@byte}. */
        @Override
        public String describe() {
            return fromStart ? fileLabel + ":" + lineNumber : fileLabel + "@" + lineStart;
        }

        @Override
        public void close() {}
    }
}
