package io.scanwatch.job.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.flink.connector.file.src.enumerate.NonSplittingRecursiveEnumerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MissingFileSplitsTest {
    @TempDir
    Path dir;

    private static org.apache.flink.core.fs.Path flink(Path file) {
        return new org.apache.flink.core.fs.Path(file.toUri());
    }

    /** Gone since the start-up check: one empty split, for its reader to report, not a failed enumeration. */
    @Test
    void aFileGoneSinceTheStartIsOneEmptySplit() throws Exception {
        Path gone = dir.resolve("conn.log");
        assertThat(new MissingFileSplits(new NonSplittingRecursiveEnumerator())
                        .enumerateSplits(new org.apache.flink.core.fs.Path[] {flink(gone)}, 2))
                .singleElement()
                .satisfies(split -> {
                    assertThat(split.path()).isEqualTo(flink(gone));
                    assertThat(split.length()).isZero();
                });
    }

    @Test
    void aFileThatIsThereIsEnumeratedAsBefore() throws Exception {
        Path file = Files.writeString(dir.resolve("conn.log"), "{}\n");
        assertThat(new MissingFileSplits(new NonSplittingRecursiveEnumerator())
                        .enumerateSplits(new org.apache.flink.core.fs.Path[] {flink(file)}, 2))
                .singleElement()
                .satisfies(split -> assertThat(split.length()).isEqualTo(3));
    }
}
