package io.scanwatch.job.source;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.connector.file.src.enumerate.FileEnumerator;
import org.apache.flink.core.fs.Path;

/**
 * Enumerates a file's splits as {@code files} does, except that a file gone since the start-up check (a retention
 * job deleting old logs under a replayed glob) is one empty split, which its reader ({@link GuardedFileFormat})
 * reports as a broken input, instead of an enumerator that fails the job before anything is read.
 */
final class MissingFileSplits implements FileEnumerator {
    private final FileEnumerator files;

    MissingFileSplits(FileEnumerator files) {
        this.files = files;
    }

    @Override
    public Collection<FileSourceSplit> enumerateSplits(Path[] paths, int readers) throws IOException {
        try {
            return files.enumerateSplits(paths, readers);
        } catch (FileNotFoundException e) {
            List<FileSourceSplit> missing = new ArrayList<>();
            for (Path path : paths) {
                missing.add(new FileSourceSplit("missing-" + missing.size(), path, 0, 0, 0, 0));
            }
            return missing;
        }
    }
}
