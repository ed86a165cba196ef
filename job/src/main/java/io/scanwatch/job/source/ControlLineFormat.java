package io.scanwatch.job.source;

import io.scanwatch.job.model.ControlRecord;
import java.io.IOException;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.file.src.reader.SimpleStreamFormat;
import org.apache.flink.connector.file.src.reader.StreamFormat;
import org.apache.flink.core.fs.FSDataInputStream;

/**
 * Control documents, one a line, each with its place ({@code file:line}) so that a status names the line to mend.
 * A line past {@link TelemetryLineFormat#MAX_LINE_BYTES} is cut there, and then fails to read as JSON.
 */
final class ControlLineFormat extends SimpleStreamFormat<ControlRecord> {
    private static final long serialVersionUID = 1L;

    private final String label;
    private final boolean watched;

    /**
     * @param label the file the lines come from
     * @param watched whether files come while the job runs: a change without a time then applies from when it
     *     was read, as a Kafka record's from when it was written; in a file read once, from the start
     */
    ControlLineFormat(String label, boolean watched) {
        this.label = label;
        this.watched = watched;
    }

    @Override
    public StreamFormat.Reader<ControlRecord> createReader(Configuration config, FSDataInputStream stream) {
        BoundedLineReader lines = new BoundedLineReader(stream, TelemetryLineFormat.MAX_LINE_BYTES);
        lines.skipByteOrderMark();
        return new StreamFormat.Reader<>() {
            private long lineNumber;

            @Override
            public ControlRecord read() throws IOException {
                String line = lines.readLine();
                if (line == null) {
                    return null;
                }
                lineNumber++;
                return ControlRecord.of(
                        line, label + ":" + lineNumber, watched ? System.currentTimeMillis() : Long.MIN_VALUE);
            }

            @Override
            public void close() {}
        };
    }

    @Override
    public TypeInformation<ControlRecord> getProducedType() {
        return TypeInformation.of(ControlRecord.class);
    }
}
