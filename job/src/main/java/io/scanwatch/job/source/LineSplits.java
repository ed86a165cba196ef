package io.scanwatch.job.source;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.connector.file.src.enumerate.FileEnumerator;
import org.apache.flink.core.fs.FileStatus;
import org.apache.flink.core.fs.Path;

/**
 * Cuts a file into byte ranges for several readers: a few per reader, so that one slow range does not leave the
 * others idle, and none under {@code minBytes}, where the start-up of a range costs more than it saves. Where the
 * cuts fall inside lines is the format's business ({@link TelemetryLineFormat}).
 */
final class LineSplits implements FileEnumerator {
    /** Ranges per reader. */
    private static final int PER_READER = 4;

    private final long minBytes;

    LineSplits(long minBytes) {
        this.minBytes = minBytes;
    }

    @Override
    public Collection<FileSourceSplit> enumerateSplits(Path[] paths, int readers) throws IOException {
        List<FileSourceSplit> splits = new ArrayList<>();
        for (Path path : paths) {
            FileStatus file = path.getFileSystem().getFileStatus(path);
            long size = file.getLen();
            long bytes = Math.max(minBytes, -Math.floorDiv(-size, (long) PER_READER * Math.max(1, readers)));
            for (long offset = 0; offset < size; offset += bytes) {
                splits.add(new FileSourceSplit(
                        String.valueOf(splits.size()),
                        path,
                        offset,
                        Math.min(bytes, size - offset),
                        file.getModificationTime(),
                        size));
            }
        }
        return splits;
    }
}
