package io.scanwatch.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.scanwatch.job.testing.KafkaBroker;
import io.scanwatch.job.testing.ZeekLines;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.zip.GZIPOutputStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code replay-to-kafka} against a real broker: what it says it sent is what the topic holds. */
class ReplayToKafkaITCase {
    @RegisterExtension
    static final KafkaBroker KAFKA = new KafkaBroker();

    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int replay(String topic, Path file) throws Exception {
        return new ScanwatchJob(new PrintStream(err, true, StandardCharsets.UTF_8))
                .run(
                        "replay-to-kafka",
                        "--bootstrap",
                        KAFKA.bootstrapServers(),
                        "--topic",
                        topic,
                        "--input",
                        "zeek-conn=" + file);
    }

    /** A closed port is said at once, as the job's start says it, not after the producer's 15 s. */
    @Test
    void aClosedPortIsNamedAtOnce() throws Exception {
        int unused;
        try (ServerSocket socket = new ServerSocket(0)) {
            unused = socket.getLocalPort();
        }
        int status = new ScanwatchJob(new PrintStream(err, true, StandardCharsets.UTF_8))
                .run(
                        "replay-to-kafka",
                        "--bootstrap",
                        "localhost:" + unused,
                        "--topic",
                        "replayed-nowhere",
                        "--input",
                        "zeek-conn=" + Testdata.file("telemetry/zeek/edge-conn.json.log"));
        assertThat(status).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .startsWith("scanwatch: --bootstrap: nothing listens at localhost:" + unused + " (connection refused)");
    }

    /** Brokers create a topic on a first write: a mistyped one would become a topic of its own, which no job reads. */
    @Test
    void aTopicThatDoesNotExistIsRefusedBeforeAnythingIsSent() throws Exception {
        KAFKA.createTopic("zeek-conn-live", 1);

        int status = replay("zeek-con-live", Testdata.file("telemetry/zeek/edge-conn.json.log"));

        assertThat(status).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .startsWith("scanwatch: --topic: topic 'zeek-con-live' does not exist on " + KAFKA.bootstrapServers())
                .contains("zeek-conn-live")
                .contains("create it first, or name an existing one");
        assertThat(KAFKA.topics()).doesNotContain("zeek-con-live");
    }

    /**
     * Two Zeek TSV logs with different headers whose records would share a partition: sent in event-time order, each
     * file's rows would be read under the other's header (a hostile trial's false alert, the victim named as the
     * scanner). Refused, nothing sent; logs with the same header (a sensor's hourly logs) share one safely.
     */
    @Test
    void twoTsvLogsWithDifferentHeadersMayNotShareAPartition(@TempDir Path dir) throws Exception {
        Path tsv = Testdata.file("telemetry/zeek/branch-conn.tsv.log");
        Path same = Files.copy(tsv, dir.resolve("branch-copy.tsv.log"));
        // The responder's address named before the originator's, in the header and in every row.
        Path reordered = Files.write(
                dir.resolve("branch-reordered.tsv.log"),
                Files.readAllLines(tsv).stream()
                        .map(line -> line.startsWith("#") && !line.startsWith("#fields") && !line.startsWith("#types")
                                ? line
                                : ZeekLines.swapped(line, line.startsWith("#") ? 3 : 2, line.startsWith("#") ? 5 : 4))
                        .toList());
        KAFKA.createTopic("replayed-two-tsv", 1);
        assertThat(replayAll("replayed-two-tsv", tsv, reordered)).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .startsWith("scanwatch: Zeek TSV logs " + tsv + " and " + reordered + " have different headers and"
                        + " would share partition 0 of replayed-two-tsv");
        assertThat(KAFKA.readCommitted("replayed-two-tsv")).isEmpty();

        err.reset();
        assertThat(replayAll("replayed-two-tsv", tsv, same))
                .as(err.toString(StandardCharsets.UTF_8))
                .isZero();
        assertThat(KAFKA.readCommitted("replayed-two-tsv"))
                .hasSize(2 * Files.readAllLines(tsv).size());
    }

    private int replayAll(String topic, Path... files) throws Exception {
        List<String> args =
                new ArrayList<>(List.of("replay-to-kafka", "--bootstrap", KAFKA.bootstrapServers(), "--topic", topic));
        for (Path file : files) {
            args.addAll(List.of("--input", "zeek-conn=" + file));
        }
        return new ScanwatchJob(new PrintStream(err, true, StandardCharsets.UTF_8)).run(args.toArray(String[]::new));
    }

    /** Compressed, as the job reads it; each file in one partition, so that a TSV header reaches its rows' reader. */
    @Test
    void aCompressedTsvLogArrivesWholeInOnePartition(@TempDir Path dir) throws Exception {
        Path tsv = Testdata.file("telemetry/zeek/branch-conn.tsv.log");
        Path gz = dir.resolve("branch-conn.tsv.log.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
            Files.copy(tsv, out);
        }
        KAFKA.createTopic("replayed-tsv", 2);

        assertThat(replay("replayed-tsv", gz))
                .as(err.toString(StandardCharsets.UTF_8))
                .isZero();

        List<ConsumerRecord<String, String>> records = KAFKA.readCommitted("replayed-tsv");
        List<String> lines =
                Files.readAllLines(tsv).stream().filter(line -> !line.isEmpty()).toList();
        assertThat(records).hasSameSizeAs(lines);
        assertThat(records.stream().map(ConsumerRecord::partition).distinct()).hasSize(1);
        assertThat(records.get(0).value()).startsWith("#separator");
        assertThat(records.stream().map(ConsumerRecord::value).collect(Collectors.toSet()))
                .containsExactlyInAnyOrderElementsOf(lines.stream().collect(Collectors.toSet()));
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("replayed " + lines.size() + " records");
    }

    @Test
    void recordsTheBrokerRefusesAreCountedAndFailTheCommand(@TempDir Path dir) throws Exception {
        KAFKA.createTopic("replayed-small", 1, Map.of("max.message.bytes", "2000"));
        String line = Files.readAllLines(Testdata.file("telemetry/zeek/edge-conn.json.log"))
                .get(0);
        String big = line.replace("{", "{\"padding\":\"" + "x".repeat(5_000) + "\",");
        Path file = Files.write(dir.resolve("conn.json.log"), List.of(line, big, line));

        assertThat(replay("replayed-small", file)).isEqualTo(1);

        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("replayed 2 records to replayed-small")
                .contains("1 of 3 records were not sent to replayed-small");
        assertThat(KAFKA.readCommitted("replayed-small")).hasSize(2);
    }

    @Test
    void aLineTheJobWouldRefuseIsNotSentAndSaidSo(@TempDir Path dir) throws Exception {
        KAFKA.createTopic("replayed-long", 1);
        String line = Files.readAllLines(Testdata.file("telemetry/zeek/edge-conn.json.log"))
                .get(0);
        Path file = Files.write(dir.resolve("conn.json.log"), List.of(line, "x".repeat(1_200_000), line));

        assertThat(replay("replayed-long", file)).isEqualTo(1);

        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("replayed 2 records")
                .contains("1 lines longer than 1,048,576 bytes not sent");
        assertThat(KAFKA.readCommitted("replayed-long")).hasSize(2);
    }

    /**
     * A file of a sensor in another zone is put in time order by its own zone among files whose times carry theirs:
     * a guess stamped in New York time goes between connections a minute before and after it, in UTC. Files of
     * different zones for one topic are refused, nothing sent: a job reads a topic in one zone.
     */
    @Test
    void aZonedFileIsOrderedByItsZoneAndZonesDoNotMixInATopic(@TempDir Path dir) throws Exception {
        KAFKA.createTopic("replayed-zoned", 1);
        // Noon UTC a month ago: the syslog line's year is this one's or the last's, as its time says, and no
        // change of summer time in New York is near (they come at 06:00 or 07:00 UTC).
        var noon = java.time.ZonedDateTime.now(java.time.ZoneOffset.UTC)
                .minusDays(30)
                .truncatedTo(java.time.temporal.ChronoUnit.DAYS)
                .withHour(12);
        long at = noon.toInstant().toEpochMilli();
        String first = ZeekLines.connection(at - 60_000, "203.0.113.9", "10.0.0.5", 22, false);
        String last = ZeekLines.connection(at + 60_000, "203.0.113.9", "10.0.0.6", 22, false);
        Path conn = Files.write(dir.resolve("conn.json.log"), List.of(first, last));
        String guess = java.time.format.DateTimeFormatter.ofPattern("MMM ppd HH:mm:ss", java.util.Locale.ROOT)
                        .format(noon.withZoneSameInstant(java.time.ZoneId.of("America/New_York")))
                + " bastion sshd[7]: Failed password for root from 203.0.113.9 port 50022 ssh2";
        Path auth = Files.write(dir.resolve("auth.log"), List.of(guess));
        List<String> args = List.of(
                "replay-to-kafka",
                "--bootstrap",
                KAFKA.bootstrapServers(),
                "--topic",
                "replayed-zoned",
                "--input",
                "zeek-conn=" + conn,
                "--input",
                "sshd@America/New_York=" + auth);
        assertThat(new ScanwatchJob(new PrintStream(err, true, StandardCharsets.UTF_8))
                        .run(args.toArray(String[]::new)))
                .as(err.toString(StandardCharsets.UTF_8))
                .isZero();
        assertThat(KAFKA.readCommitted("replayed-zoned"))
                .extracting(ConsumerRecord::value)
                .containsExactly(first, guess, last);

        List<String> mixed = new ArrayList<>(args);
        mixed.addAll(List.of("--input", "netfilter@Asia/Tokyo=" + auth));
        err.reset();
        assertThat(new ScanwatchJob(new PrintStream(err, true, StandardCharsets.UTF_8))
                        .run(mixed.toArray(String[]::new)))
                .isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("--input sshd@America/New_York=" + auth + " and --input netfilter@Asia/Tokyo=" + auth
                        + " send times of different zones to one topic");
        assertThat(ReplayToKafka.zonesMixed(List.of(
                        io.scanwatch.job.source.InputSpec.parse("sshd@UTC=" + auth),
                        io.scanwatch.job.source.InputSpec.parse("netfilter=" + auth),
                        io.scanwatch.job.source.InputSpec.parse("zeek-conn=" + conn))))
                .as("UTC is the zone of an input that names none")
                .isNull();
        assertThat(ReplayToKafka.zonesMixed(List.of(
                        io.scanwatch.job.source.InputSpec.parse("sshd@Japan=" + auth),
                        io.scanwatch.job.source.InputSpec.parse("netfilter@Asia/Tokyo=" + auth))))
                .as("two names of one zone")
                .isNull();
    }
}
