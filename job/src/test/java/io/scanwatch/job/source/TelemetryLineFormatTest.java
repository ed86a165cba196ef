package io.scanwatch.job.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.scanwatch.parse.ParseOptions;
import io.scanwatch.parse.catalog.TelemetryFormat;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.connector.file.src.reader.StreamFormat;
import org.apache.flink.core.fs.FSDataInputStream;
import org.apache.flink.core.fs.FileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A file read in ranges by several readers yields each line once, whole, wherever the cuts fall. */
class TelemetryLineFormatTest {
    @TempDir
    Path dir;

    @Test
    void everyLineComesOnceFromTheRangeItStartsIn() throws Exception {
        Random random = new Random(5);
        List<String> lines = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 500; i++) {
            // Lines of every length, and empty ones, so that cuts fall before, in and right after newlines.
            String line = i % 37 == 0
                    ? ""
                    : "{\"ts\":" + (1_772_442_000 + i) + ",\"conn_state\":\"S0\",\"pad\":\""
                            + "x".repeat(random.nextInt(90)) + "\"}";
            lines.add(line);
            text.append(line).append(i % 5 == 0 ? "\r\n" : "\n");
        }
        Path file = Files.writeString(dir.resolve("conn.json"), text);
        TelemetryLineFormat format = new TelemetryLineFormat(
                TelemetryFormat.ZEEK_CONN,
                new ParseOptions(ZoneOffset.UTC, 2026, Instant.now()),
                Duration.ofHours(1),
                file.toString(),
                "conn.json",
                true);
        org.apache.flink.core.fs.Path path = new org.apache.flink.core.fs.Path(file.toUri());
        for (long minBytes : new long[] {1, 7, 64, 1000, 1 << 20}) {
            List<String> read = new ArrayList<>();
            List<String> origins = new ArrayList<>();
            int records = 0;
            for (FileSourceSplit split :
                    new LineSplits(minBytes).enumerateSplits(new org.apache.flink.core.fs.Path[] {path}, 3)) {
                try (FSDataInputStream stream = FileSystem.getLocalFileSystem().open(path)) {
                    stream.seek(split.offset());
                    StreamFormat.Reader<TelemetryRecord> reader = format.createReader(
                            new Configuration(), stream, split.fileSize(), split.offset() + split.length());
                    for (TelemetryRecord record = reader.read(); record != null; record = reader.read()) {
                        records++;
                        // Not connections: each non-empty line comes back whole as a dead letter, with its place.
                        if (record.deadLetter != null) {
                            read.add(record.deadLetter.raw);
                            origins.add(record.deadLetter.origin);
                        }
                    }
                }
            }
            assertThat(records)
                    .as("ranges of at least %d bytes: every line once", minBytes)
                    .isEqualTo(lines.size());
            assertThat(read)
                    .as("ranges of at least %d bytes: each line whole, in order", minBytes)
                    .containsExactlyElementsOf(
                            lines.stream().filter(line -> !line.isEmpty()).toList());
            assertThat(origins.get(0)).isEqualTo(file + ":2");
            if (minBytes < 1000) {
                assertThat(origins)
                        .as("past the first range, lines are placed by byte")
                        .anyMatch(o -> o.contains("@"));
            }
        }
    }

    private static String zeek(Instant time) {
        return String.format(
                "{\"ts\":%d.%03d,\"id.orig_h\":\"203.0.113.9\",\"id.orig_p\":40000,\"id.resp_h\":\"10.0.0.5\","
                        + "\"id.resp_p\":22,\"proto\":\"tcp\",\"conn_state\":\"S0\",\"history\":\"S\"}%n",
                time.getEpochSecond(), time.toEpochMilli() % 1000);
    }

    /**
     * A record stamped two hours ahead of the clock comes from a sensor with a wrong clock: it would push the watermark
     * of a streaming replay ahead and make the rest of the file late. It is a dead letter; records within the bound,
     * and old ones, are read, whatever the file's time of last write says (here the epoch, as some builds leave it).
     */
    @Test
    void aRecordAheadOfTheClockIsADeadLetter() throws Exception {
        Instant now = Instant.now();
        Instant ahead = now.plus(Duration.ofHours(2)).truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        Path file = Files.writeString(
                dir.resolve("conn.json"),
                zeek(now.minus(Duration.ofDays(1))) + zeek(ahead) + zeek(now.plus(Duration.ofMinutes(5))));
        List<TelemetryRecord> read = readWhole(file, TelemetryFormat.ZEEK_CONN, Instant.EPOCH);
        assertThat(read)
                .extracting(record -> record.kind)
                .containsExactly(
                        TelemetryRecord.Kind.CONNECTION,
                        TelemetryRecord.Kind.DEAD_LETTER,
                        TelemetryRecord.Kind.CONNECTION);
        assertThat(read.get(1).deadLetter.reason)
                .isEqualTo("event time " + ahead + " is more than 1h ahead of this machine's clock"
                        + " (event-time.max-ahead-of-clock): the sensor's clock or time zone is wrong");
        assertThat(read.get(1).deadLetter.origin).isEqualTo(file + ":2");
    }

    /**
     * A sensor's local time read in the wrong zone is the likelier cause where the format's times carry none: the
     * dead letter names the zone they were read in, and where to name the right one.
     */
    @Test
    void aRecordAheadOfTheClockInALocalTimeNamesTheZoneItWasReadIn() throws Exception {
        java.time.ZoneId tokyo = java.time.ZoneId.of("Asia/Tokyo");
        String stamp = java.time.format.DateTimeFormatter.ofPattern("MMM ppd HH:mm:ss", java.util.Locale.ROOT)
                .format(java.time.ZonedDateTime.now(tokyo));
        Path file = Files.writeString(
                dir.resolve("auth.log"),
                stamp + " bastion sshd[1]: Failed password for root from 203.0.113.9 port 50022 ssh2\n");
        assertThat(readWhole(file, TelemetryFormat.SSHD, java.time.ZoneId.of("America/New_York"), Instant.now()))
                .singleElement()
                .satisfies(record -> assertThat(record.deadLetter.reason)
                        .endsWith("the sensor's clock or time zone is wrong (this input's times without a zone are read"
                                + " in America/New_York; an input names its sensors' zone as --input FORMAT@ZONE=PATH or"
                                + " a topic's timezone, every input as parsing.timezone)"));
    }

    /** Windows tools start UTF-8 files with a byte order mark: the first line is read as if it had none. */
    @Test
    void aByteOrderMarkDoesNotCostTheFirstLine() throws Exception {
        Instant then = Instant.parse("2026-03-02T12:00:00Z");
        Path file = dir.resolve("conn.json");
        Files.write(file, ("\uFEFF" + zeek(then) + zeek(then.plusSeconds(1))).getBytes(StandardCharsets.UTF_8));
        assertThat(Files.readAllBytes(file)).startsWith((byte) 0xEF, (byte) 0xBB, (byte) 0xBF);
        List<TelemetryRecord> read = readWhole(file, TelemetryFormat.AUTO, Instant.now());
        assertThat(read)
                .extracting(record -> record.kind)
                .as(String.valueOf(read.get(0).deadLetter))
                .containsExactly(TelemetryRecord.Kind.CONNECTION, TelemetryRecord.Kind.CONNECTION);
        assertThat(read.get(0).connection.timestamp).isEqualTo(then.toEpochMilli());
    }

    /**
     * A file whose lines end in CR alone is one line to the reader; read as a record, its first would be taken and
     * the rest lost without a word. It is one dead letter that says why, and CRLF files read as ever.
     */
    @Test
    void aFileOfLinesEndingInCarriageReturnsAloneIsADeadLetterThatSaysSo() throws Exception {
        Instant then = Instant.parse("2026-03-02T12:00:00Z");
        String lines = zeek(then) + zeek(then.plusSeconds(1)) + zeek(then.plusSeconds(2));
        Path cr = Files.writeString(dir.resolve("cr.json"), lines.replace("\n", "\r"));
        List<TelemetryRecord> read = readWhole(cr, TelemetryFormat.ZEEK_CONN, Instant.now());
        assertThat(read).extracting(record -> record.kind).containsExactly(TelemetryRecord.Kind.DEAD_LETTER);
        assertThat(read.get(0).deadLetter.reason).contains("lines end with CR alone");
        Path crlf = Files.writeString(dir.resolve("crlf.json"), lines.replace("\n", "\r\n"));
        assertThat(readWhole(crlf, TelemetryFormat.ZEEK_CONN, Instant.now()))
                .extracting(record -> record.kind)
                .containsOnly(TelemetryRecord.Kind.CONNECTION)
                .hasSize(3);
    }

    /** Every record of a file read whole by one reader, the file written at {@code written}. */
    private static List<TelemetryRecord> readWhole(Path file, TelemetryFormat format, Instant written)
            throws Exception {
        return readWhole(file, format, ZoneOffset.UTC, written);
    }

    /** The same, its times without a zone read in {@code zone}. */
    private static List<TelemetryRecord> readWhole(
            Path file, TelemetryFormat format, java.time.ZoneId zone, Instant written) throws Exception {
        TelemetryLineFormat lines = new TelemetryLineFormat(
                format,
                new ParseOptions(zone, 0, written),
                Duration.ofHours(1),
                file.toString(),
                file.getFileName().toString(),
                false);
        List<TelemetryRecord> read = new ArrayList<>();
        try (FSDataInputStream stream =
                FileSystem.getLocalFileSystem().open(new org.apache.flink.core.fs.Path(file.toUri()))) {
            StreamFormat.Reader<TelemetryRecord> reader =
                    lines.createReader(new Configuration(), stream, Files.size(file), Files.size(file));
            for (TelemetryRecord record = reader.read(); record != null; record = reader.read()) {
                read.add(record);
            }
        }
        return read;
    }
}
