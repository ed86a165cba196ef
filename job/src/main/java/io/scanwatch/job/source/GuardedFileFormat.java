package io.scanwatch.job.source;

import java.io.IOException;
import java.util.zip.ZipException;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.connector.file.src.impl.StreamFormatAdapter;
import org.apache.flink.connector.file.src.reader.BulkFormat;
import org.apache.flink.connector.file.src.util.CheckpointedPosition;
import org.apache.flink.connector.file.src.util.SingletonResultIterator;

/**
 * Reads a telemetry file as {@link TelemetryLineFormat} does, but a file that cannot even be opened (removed after
 * the job started, say by a retention job under a replayed glob; a compressed file broken in its header, such as
 * the empty {@code .gz} a crashed rotation leaves) becomes one broken-input record rather than failing the source,
 * and with it the job: Flink opens (and decompresses) the file before a {@code StreamFormat}'s code runs.
 */
final class GuardedFileFormat implements BulkFormat<TelemetryRecord, FileSourceSplit> {
    private static final long serialVersionUID = 1L;

    private final StreamFormatAdapter<TelemetryRecord> lines;
    private final String format;
    private final String fileLabel;

    GuardedFileFormat(TelemetryLineFormat lines, String format, String fileLabel) {
        this.lines = new StreamFormatAdapter<>(lines);
        this.format = format;
        this.fileLabel = fileLabel;
    }

    @Override
    public Reader<TelemetryRecord> createReader(Configuration config, FileSourceSplit split) throws IOException {
        try {
            return lines.createReader(config, split);
        } catch (IOException e) {
            return new Unopenable(broken(split, e));
        }
    }

    @Override
    public Reader<TelemetryRecord> restoreReader(Configuration config, FileSourceSplit split) throws IOException {
        try {
            return lines.restoreReader(config, split);
        } catch (IOException e) {
            // Restored after its broken-input record was emitted: nothing more to say.
            boolean said = split.getReaderPosition()
                    .map(position -> position.getRecordsAfterOffset() > 0)
                    .orElse(false);
            return new Unopenable(said ? null : broken(split, e));
        }
    }

    /**
     * A file read in ranges by several readers ({@link LineSplits}) says so for each range it could not open: the
     * others may have been read.
     */
    private TelemetryRecord broken(FileSourceSplit split, IOException cause) {
        if (split.offset() == 0 && split.length() >= split.fileSize()) {
            // Flink picks the decompression by the name's ending and reads its header as it opens the file: plain
            // text named .gz fails here, before any line (BinaryStart tells the opposite case).
            String what = cause instanceof ZipException
                    ? "the file's name ends as a compressed file's (.gz, .deflate), but it is not such data (if it is"
                            + " plain text, rename it without that ending): nothing of it was read"
                    : "the file could not be opened, nothing of it was read";
            return TelemetryRecord.brokenInput(format, () -> fileLabel + ":0", what, cause);
        }
        String range = "bytes " + split.offset() + "-" + (split.offset() + split.length());
        return TelemetryRecord.brokenInput(
                format,
                () -> fileLabel + "@" + split.offset(),
                range + " of the file could not be opened and were not read",
                cause);
    }

    @Override
    public boolean isSplittable() {
        return lines.isSplittable();
    }

    @Override
    public TypeInformation<TelemetryRecord> getProducedType() {
        return lines.getProducedType();
    }

    /** The reader of a file that could not be opened: its broken-input record, if still to be said, and the end. */
    private static final class Unopenable implements Reader<TelemetryRecord> {
        private TelemetryRecord record;

        Unopenable(TelemetryRecord record) {
            this.record = record;
        }

        @Override
        public RecordIterator<TelemetryRecord> readBatch() {
            if (record == null) {
                return null;
            }
            SingletonResultIterator<TelemetryRecord> batch = new SingletonResultIterator<>();
            batch.set(record, CheckpointedPosition.NO_OFFSET, 1);
            record = null;
            return batch;
        }

        @Override
        public void close() {}
    }
}
