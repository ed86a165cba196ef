package io.scanwatch.job.source;

import io.scanwatch.job.model.ControlRecord;
import java.io.IOException;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.connector.file.src.impl.StreamFormatAdapter;
import org.apache.flink.connector.file.src.reader.BulkFormat;

/**
 * Control lines ({@link ControlLineFormat}) named by the file each comes from: the statuses of a watched directory's
 * changes name the file to mend, not the directory. A {@code StreamFormat} is never told its file, a split is.
 */
final class ControlFileFormat implements BulkFormat<ControlRecord, FileSourceSplit> {
    private static final long serialVersionUID = 1L;

    private final boolean watched;

    /** @param watched as {@link ControlLineFormat#ControlLineFormat(String, boolean)} has it */
    ControlFileFormat(boolean watched) {
        this.watched = watched;
    }

    @Override
    public Reader<ControlRecord> createReader(Configuration config, FileSourceSplit split) throws IOException {
        return lines(split).createReader(config, split);
    }

    @Override
    public Reader<ControlRecord> restoreReader(Configuration config, FileSourceSplit split) throws IOException {
        return lines(split).restoreReader(config, split);
    }

    private StreamFormatAdapter<ControlRecord> lines(FileSourceSplit split) {
        return new StreamFormatAdapter<>(
                new ControlLineFormat("file " + split.path().getPath(), watched));
    }

    @Override
    public boolean isSplittable() {
        return false;
    }

    @Override
    public TypeInformation<ControlRecord> getProducedType() {
        return TypeInformation.of(ControlRecord.class);
    }
}
