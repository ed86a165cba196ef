package io.scanwatch.job.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.scanwatch.parse.ParseOptions;
import io.scanwatch.parse.catalog.TelemetryFormat;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.connector.file.src.reader.BulkFormat;
import org.apache.flink.connector.file.src.util.CheckpointedPosition;
import org.apache.flink.connector.file.src.util.RecordAndPosition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A file that cannot be opened is one broken-input record, said once, not a failed source. */
class GuardedFileFormatTest {
    @TempDir
    Path dir;

    private static GuardedFileFormat format(Path file) {
        return new GuardedFileFormat(
                new TelemetryLineFormat(
                        TelemetryFormat.ZEEK_CONN,
                        new ParseOptions(ZoneOffset.UTC, 2026, Instant.now()),
                        Duration.ofHours(1),
                        file.toString(),
                        file.getFileName().toString(),
                        false),
                TelemetryFormat.ZEEK_CONN.id(),
                file.toString());
    }

    private static FileSourceSplit split(Path file, long length) {
        return new FileSourceSplit("0", new org.apache.flink.core.fs.Path(file.toUri()), 0, length, 0, length);
    }

    private static List<TelemetryRecord> readAll(BulkFormat.Reader<TelemetryRecord> reader) throws Exception {
        List<TelemetryRecord> records = new ArrayList<>();
        for (BulkFormat.RecordIterator<TelemetryRecord> batch = reader.readBatch();
                batch != null;
                batch = reader.readBatch()) {
            for (RecordAndPosition<TelemetryRecord> next = batch.next(); next != null; next = batch.next()) {
                records.add(next.getRecord());
            }
            batch.releaseBatch();
        }
        reader.close();
        return records;
    }

    @Test
    void aFileRemovedAfterTheStartIsOneBrokenInput() throws Exception {
        Path gone = dir.resolve("conn.log");
        FileSourceSplit split = split(gone, 100);
        assertThat(readAll(format(gone).createReader(new Configuration(), split)))
                .singleElement()
                .satisfies(record -> {
                    assertThat(record.kind).isEqualTo(TelemetryRecord.Kind.BROKEN_INPUT);
                    assertThat(record.deadLetter.origin).isEqualTo(gone + ":0");
                    assertThat(record.deadLetter.reason)
                            .contains("the file could not be opened, nothing of it was read")
                            .contains("conn.log");
                });
        FileSourceSplit restored =
                split.updateWithCheckpointedPosition(new CheckpointedPosition(CheckpointedPosition.NO_OFFSET, 1));
        assertThat(readAll(format(gone).restoreReader(new Configuration(), restored)))
                .as("restored after it was said")
                .isEmpty();
    }

    /** One of the ranges of a file read by several readers: it says which bytes were not read, not that all was. */
    @Test
    void aRangeThatCannotBeOpenedSaysWhichBytes() throws Exception {
        Path gone = dir.resolve("big.json");
        FileSourceSplit range =
                new FileSourceSplit("1", new org.apache.flink.core.fs.Path(gone.toUri()), 1000, 500, 0, 3000);
        assertThat(readAll(format(gone).createReader(new Configuration(), range)))
                .singleElement()
                .satisfies(record -> {
                    assertThat(record.deadLetter.origin).isEqualTo(gone + "@1000");
                    assertThat(record.deadLetter.reason)
                            .startsWith("bytes 1000-1500 of the file could not be opened and were not read");
                });
    }

    @Test
    void anEmptyGzipIsOneBrokenInput() throws Exception {
        Path empty = Files.write(dir.resolve("conn.log.gz"), new byte[0]);
        assertThat(readAll(format(empty).createReader(new Configuration(), split(empty, 0))))
                .singleElement()
                .satisfies(record -> assertThat(record.kind).isEqualTo(TelemetryRecord.Kind.BROKEN_INPUT));
    }

    @Test
    void aFileThatOpensIsReadAsBefore() throws Exception {
        Path file = Files.writeString(
                dir.resolve("conn.log"),
                "{\"ts\":1700000000.1,\"id.orig_h\":\"198.51.100.1\",\"id.orig_p\":1,\"id.resp_h\":\"10.0.0.1\","
                        + "\"id.resp_p\":22,\"proto\":\"tcp\",\"conn_state\":\"S0\"}\n");
        assertThat(readAll(format(file).createReader(new Configuration(), split(file, Files.size(file)))))
                .singleElement()
                .satisfies(record -> assertThat(record.kind).isEqualTo(TelemetryRecord.Kind.CONNECTION));
    }
}
